// Package object is what the API stores: the Object type, its JSON form (the API's, and the data
// tool's files), its DynamoDB item form, and the rules for an object's id (a version-4 UUID in
// canonical form) and write time. The HTTP layer, the store and the data tool all go through it,
// so a field is added here once.
package object

import (
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"
)

// Object is one stored object. TS is "" when the item has no string ts attribute (another program
// wrote it); its JSON is then null. The tags are the JSON form; AppendJSON writes it.
type Object struct {
	UUID string `json:"uuid"`
	TS   string `json:"ts"`
}

// FieldError is what is wrong with one field of an object; Field is its JSON name, or "" when
// the problem is the object as a whole.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Err.Error()
	}
	return e.Field + ": " + e.Err.Error()
}

func (e *FieldError) Unwrap() error { return e.Err }

// Check holds o to the API's rules, as if the API had written it: UUID a version-4 UUID (the
// result has it in lowercase), TS a write time as TS formats it or "" (no ts). The error is a
// *FieldError.
func (o Object) Check() (Object, error) {
	id, err := ParseID(o.UUID)
	if err != nil {
		return o, &FieldError{"uuid", err}
	}
	o.UUID = id
	if o.TS != "" {
		if err := CheckTS(o.TS); err != nil {
			return o, &FieldError{"ts", err}
		}
	}
	return o, nil
}

// tsAttr is the attribute holding an object's write time.
const tsAttr = "ts"

// maxKeyBytes is DynamoDB's limit on a partition key's value.
const maxKeyBytes = 2048

// KeyType is the type of the table's hash-key attribute: what Key writes and FromItem reads. A
// table made for objects declares it (store.TableInput; in AWS, terraform/main.tf).
const KeyType = types.ScalarAttributeTypeS

// Key is the table key of the object id: id in the hash-key attribute hashKey.
func Key(hashKey, id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{hashKey: keyValue(id)}
}

func keyValue(id string) types.AttributeValue { return &types.AttributeValueMemberS{Value: id} }

// Item is o as a table item: UUID in the table's hash-key attribute hashKey (DDB_HASH_KEY_NAME;
// the JSON field stays "uuid") and TS in the string attribute "ts", left out when "".
// Maps built by hand: attributevalue's reflection costs more than the write's own encoding.
func (o Object) Item(hashKey string) map[string]types.AttributeValue {
	item := make(map[string]types.AttributeValue, 2)
	item[hashKey] = keyValue(o.UUID)
	if o.TS != "" {
		item[tsAttr] = &types.AttributeValueMemberS{Value: o.TS}
	}
	return item
}

// FromItem reads a table item, whichever program wrote it. ok is false when it has no attribute
// hashKey of KeyType: every item has its key, so hashKey is not the table's hash key. TS is ""
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

// ValidIDHint ends every invalid-id message.
const ValidIDHint = "an object id is a version-4 UUID in canonical form, 8-4-4-4-12 hex digits " +
	"with version nibble 4 and variant 8, 9, a or b, e.g. 3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f"

// TSLayout is the write time's format: UTC, always 6 fractional digits, no offset, so that
// stored ts strings sort in time order.
const TSLayout = "2006-01-02T15:04:05.000000"

// ParseID checks that raw is a version-4 UUID (RFC 9562: version nibble 4, variant 10xx) in the
// canonical 36-character hyphenated form, in any letter case, and returns it in lowercase.
// The result never shares memory with raw. The error message quotes at most 64 bytes of raw,
// says what is wrong and ends with ValidIDHint.
func ParseID(raw string) (string, error) {
	if len(raw) != 36 {
		return "", invalidID(raw, fmt.Sprintf("it has %d characters, not 36", len(raw)))
	}
	// With 36 characters uuid.Parse accepts only the canonical hyphenated form.
	u, err := uuid.Parse(raw)
	if err != nil {
		return "", invalidID(raw, "it is not hex digits in groups 8-4-4-4-12")
	}
	if v := u.Version(); v != 4 {
		return "", invalidID(raw, fmt.Sprintf("it is a version-%d UUID", v))
	}
	if u.Variant() != uuid.RFC4122 {
		return "", invalidID(raw, "its variant is not RFC 9562's (the 20th hex digit must be 8, 9, a or b)")
	}
	return u.String(), nil
}

func invalidID(raw, why string) error {
	const show = 64
	if len(raw) > show {
		raw = raw[:show] + "..."
	}
	return fmt.Errorf("invalid object id %q: %s; %s", raw, why, ValidIDHint)
}

// TS formats t as a write time (converted to UTC).
func TS(t time.Time) string { return t.UTC().Format(TSLayout) }

// CheckTS returns nil when ts is a write time exactly as the API writes it (TSLayout).
func CheckTS(ts string) error {
	t, err := time.Parse(TSLayout, ts)
	if err != nil || t.Format(TSLayout) != ts {
		return fmt.Errorf("invalid ts %q: a write time is UTC with 6 fractional digits and no offset, "+
			"YYYY-MM-DDTHH:MM:SS.ffffff, e.g. 2026-11-29T08:06:56.563581", clip(ts))
	}
	return nil
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
