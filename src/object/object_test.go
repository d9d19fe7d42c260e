package object

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// CheckTS accepts exactly what TS writes: UTC, 6 fractional digits, no offset.
// (ParseID is fuzzed against an independent regular expression in src/httpapi.)
func TestCheckTS(t *testing.T) {
	written := TS(time.Date(2026, 11, 29, 9, 6, 56, 563581000, time.FixedZone("CET", 3600)))
	if written != "2026-11-29T08:06:56.563581" {
		t.Fatalf("TS = %q, want the UTC time 2026-11-29T08:06:56.563581", written)
	}
	for _, tc := range []struct {
		ts string
		ok bool
	}{
		{written, true},
		{"2026-11-29T08:06:56.000000", true},
		{"2026-11-29T08:06:56.563581Z", false},
		{"2026-11-29T08:06:56.563581+00:00", false},
		{"2026-11-29T08:06:56.563", false},
		{"2026-11-29T08:06:56", false},
		{"2026-11-29 08:06:56.563581", false},
		{"2026-02-30T08:06:56.563581", false},
		{"", false},
	} {
		if err := CheckTS(tc.ts); (err == nil) != tc.ok {
			t.Errorf("CheckTS(%q) = %v, want ok=%v", tc.ts, err, tc.ok)
		}
	}
}

// Check holds an object to the API's rules: the id comes back in lowercase, no ts is allowed
// (an item another program wrote), and a bad field is named.
func TestCheck(t *testing.T) {
	const id, ts = "3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f", "2026-11-29T08:06:56.563581"
	for _, tc := range []struct {
		in        Object
		want      Object
		wantField string
	}{
		{Object{UUID: strings.ToUpper(id), TS: ts}, Object{UUID: id, TS: ts}, ""},
		{Object{UUID: id}, Object{UUID: id}, ""},
		{Object{UUID: "42", TS: ts}, Object{}, "uuid"},
		{Object{UUID: id, TS: "yesterday"}, Object{}, "ts"},
	} {
		got, err := tc.in.Check()
		var fe *FieldError
		switch {
		case tc.wantField == "" && (err != nil || got != tc.want):
			t.Errorf("%+v.Check() = %+v, %v; want %+v", tc.in, got, err, tc.want)
		case tc.wantField != "" && (!errors.As(err, &fe) || fe.Field != tc.wantField):
			t.Errorf("%+v.Check() = %v; want a *FieldError on %s", tc.in, err, tc.wantField)
		}
	}
}

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
