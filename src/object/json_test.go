package object

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// tagged is Object without its methods: encoding/json writes it from the tags alone.
type tagged Object

// FuzzAppendJSON holds the hand-built encoder to encoding/json's output for Object's tags (but
// for the null of an empty ts), and MarshalJSON to the same bytes. The objects come from JSON
// documents through the tags, so a new field is fuzzed without a change here.
func FuzzAppendJSON(f *testing.F) {
	f.Add(`{"uuid":"3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f","ts":"2022-08-25T12:06:56.563581"}`)
	f.Add(`{"uuid":"not-a-uuid \"quoted\" <&> \u0001 \ud800 \u2028 \u00e9","ts":null}`)
	f.Add("{\"uuid\":\"invalid UTF-8 \xff\"}")
	f.Add(`{"uuid":"a<b","ts":"c>d&e"}`)
	f.Fuzz(func(t *testing.T, doc string) {
		var in tagged
		if json.Unmarshal([]byte(doc), &in) != nil {
			return
		}
		o := Object(in)
		want, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if o.TS == "" { // `"ts":""` cannot occur inside an encoded string, where quotes are escaped
			want = bytes.Replace(want, []byte(`"ts":""`), []byte(`"ts":null`), 1)
		}
		if got := o.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("AppendJSON(%+v) = %s; encoding/json writes %s", o, got, want)
		}
		if got, _ := json.Marshal(o); !bytes.Equal(got, want) {
			t.Fatalf("json.Marshal(%+v) = %s (through MarshalJSON); want %s", o, got, want)
		}
	})
}

// decode runs DecodeJSON on one document.
func decode(doc string) (Object, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	return DecodeJSON(dec)
}

// DecodeJSON reads back what AppendJSON writes, escapes and a null ts included.
func TestDecodeJSONReadsAppendJSON(t *testing.T) {
	for _, o := range []Object{
		{UUID: "3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f", TS: "2022-08-25T12:06:56.563581"},
		{UUID: "written by hand \"quoted\" <&> \x01 é \u2028"},
	} {
		if got, err := decode(string(o.AppendJSON(nil))); err != nil || got != o {
			t.Errorf("DecodeJSON(%s) = %+v, %v; want %+v", o.AppendJSON(nil), got, err, o)
		}
	}
}

// DecodeJSON refuses every object encoding/json would read with a guess, naming the field.
func TestDecodeJSONRefusesAmbiguity(t *testing.T) {
	const id, ts = `"3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f"`, `"2022-08-25T12:06:56.563581"`
	for _, tc := range []struct{ doc, field, msg string }{
		{`{"uuid":` + id + `,"uuid":"0b9a7c62-35d2-4f1e-8a44-1c2d3e4f5a6b","ts":` + ts + `}`, "uuid", "appears twice in one object"},
		{`{"uuid":` + id + `,"ts":` + ts + `,"ts":null}`, "ts", "appears twice in one object"},
		{`{"UUID":` + id + `,"ts":` + ts + `}`, "UUID", `keys are case-sensitive: this one is "uuid"`},
		{`{"uuid":` + id + `,"Ts":` + ts + `}`, "Ts", `keys are case-sensitive: this one is "ts"`},
		{`{"uuid":` + id + `,"ts":` + ts + `,"color":"red"}`, "color", "unknown field (an object has exactly uuid and ts)"},
		{`{"ts":` + ts + `}`, "uuid", "missing"},
		{`{"uuid":` + id + `}`, "ts", "missing"},
		{`{"uuid":42,"ts":` + ts + `}`, "uuid", "42, not a string"},
		{`{"uuid":null,"ts":` + ts + `}`, "uuid", "null, not a string"},
		{`{"uuid":` + id + `,"ts":1e400}`, "ts", "1e400, not a string"},
		{`{"uuid":` + id + `,"ts":{}}`, "ts", "a JSON object, not a string"},
		{`[` + id + `]`, "", "a JSON array, not an object with uuid and ts"},
		{id, "", "a JSON string, not an object with uuid and ts"},
		{`{"uuid":"zz` + "\xff" + `","ts":` + ts + `}`, "uuid", "holds bytes that are not UTF-8, an unpaired surrogate escape or U+FFFD"},
		{`{"uuid":` + id + `,"ts":"t\udc00"}`, "ts", "holds bytes that are not UTF-8, an unpaired surrogate escape or U+FFFD"},
		{`{"uuid":` + id + `,"ts":""}`, "ts", `an empty string (an object without a ts has "ts":null)`},
	} {
		_, err := decode(tc.doc)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || fe.Err.Error() != tc.msg {
			t.Errorf("DecodeJSON(%s) = %v; want field %q: %s", tc.doc, err, tc.field, tc.msg)
		}
	}
}
