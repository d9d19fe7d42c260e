package object

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// An object goes into an item under the configured hash key and comes back out the same; an
// item another program wrote without a string ts reads with no ts; without the key, not at all.
func TestItem(t *testing.T) {
	for _, o := range []Object{
		{UUID: "3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f", TS: "2022-08-25T12:06:56.563581"},
		{UUID: "3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f"},
	} {
		item := o.Item("name")
		if got, ok := FromItem(item, "name"); !ok || got != o {
			t.Errorf("FromItem(%+v.Item(\"name\")) = %+v, %v", o, got, ok)
		}
		if _, hasTS := item["ts"]; hasTS != (o.TS != "") {
			t.Errorf("%+v.Item has a ts attribute: %v", o, hasTS)
		}
	}
	numeric := map[string]types.AttributeValue{
		"uuid": &types.AttributeValueMemberS{Value: "x"},
		"ts":   &types.AttributeValueMemberN{Value: "1"},
	}
	if got, ok := FromItem(numeric, "uuid"); !ok || got != (Object{UUID: "x"}) {
		t.Errorf("FromItem of an item with a numeric ts = %+v, %v; want no ts", got, ok)
	}
	if _, ok := FromItem(numeric, "id"); ok {
		t.Error("FromItem of an item without the hash-key attribute reported ok")
	}
}
