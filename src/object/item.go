package object

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// tsAttr is the attribute holding an object's write time.
const tsAttr = "ts"

// maxKeyBytes is DynamoDB's limit on a partition key's value.
const maxKeyBytes = 2048

// Item is o as a table item: UUID in the table's hash-key attribute hashKey (DDB_HASH_KEY_NAME,
// type S; the JSON field stays "uuid") and TS in the string attribute "ts", left out when "".
// Maps built by hand: attributevalue's reflection costs more than the write's own encoding.
func (o Object) Item(hashKey string) map[string]types.AttributeValue {
	item := make(map[string]types.AttributeValue, 2)
	item[hashKey] = &types.AttributeValueMemberS{Value: o.UUID}
	if o.TS != "" {
		item[tsAttr] = &types.AttributeValueMemberS{Value: o.TS}
	}
	return item
}

// FromItem reads a table item, whichever program wrote it. ok is false when it has no string
// attribute hashKey: every item has its key, so hashKey is not the table's hash key. TS is ""
// when the item has no string ts.
func FromItem(item map[string]types.AttributeValue, hashKey string) (o Object, ok bool) {
	k, ok := item[hashKey].(*types.AttributeValueMemberS)
	if !ok {
		return o, false
	}
	o.UUID = k.Value
	if v, ok := item[tsAttr].(*types.AttributeValueMemberS); ok {
		o.TS = v.Value
	}
	return o, true
}

// Projection is a Scan's ProjectionExpression reading exactly what FromItem reads, and its
// ExpressionAttributeNames ("#k" because a hash key may be a reserved word).
func Projection(hashKey string) (expr string, names map[string]string) {
	return "#k, #t", map[string]string{"#k": hashKey, "#t": tsAttr}
}

// CheckKey returns nil when DynamoDB takes o as an item, whatever its content: a key of 1 to
// 2048 bytes. It is what an object must satisfy when it is copied as it is rather than held to
// the API's rules (Check). The error is a *FieldError.
func (o Object) CheckKey() error {
	if o.UUID == "" || len(o.UUID) > maxKeyBytes {
		return &FieldError{"uuid", errors.New("an item's key is 1 to 2048 bytes")}
	}
	return nil
}
