package object

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// AppendJSON appends o's JSON to b: what encoding/json writes for Object's tags, except that an
// empty TS is null. It is the one encoder of an object (GET /objects' pages, GET /object through
// MarshalJSON, objects-data export), appending by hand because encoding/json makes 3 allocations
// per object and halves a list page's throughput (BenchmarkListPage). It allocates only to escape
// a string, which no id or ts the API writes needs.
func (o Object) AppendJSON(b []byte) []byte {
	b = appendString(append(b, `{"uuid":`...), o.UUID)
	if o.TS == "" {
		return append(b, `,"ts":null}`...)
	}
	return append(appendString(append(b, `,"ts":`...), o.TS), '}')
}

// MarshalJSON is AppendJSON, so that encoding/json (Fiber's c.JSON) writes the same bytes.
func (o Object) MarshalJSON() ([]byte, error) { return o.AppendJSON(make([]byte, 0, 80)), nil }

// plain is a byte encoding/json writes as itself inside a string: printable ASCII but for the
// quote, the backslash and the HTML-escaped <, > and &.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = !strings.ContainsRune(`"\<>&`, rune(c))
	}
	return t
}()

// appendString appends s as a JSON string; one needing escapes goes through encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !plain[s[i]] {
			q, _ := json.Marshal(s) // escapes, and replaces invalid UTF-8 with U+FFFD
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// keys are the JSON form's keys, in AppendJSON's order.
var keys = [...]string{"uuid", "ts"}

// DecodeJSON reads dec's next value as an object, strictly, where encoding/json is lenient: a
// JSON object with exactly the keys AppendJSON writes, each once and in its case (encoding/json
// takes "UUID" for "uuid" and keeps the last of two), uuid a string and ts a string or null;
// a string must be UTF-8 without U+FFFD, and ts not empty.
// It checks the form, not the API's rules (Check). A misshapen object is a *FieldError; a read
// or syntax error is dec's. Numbers show as written when dec.UseNumber was called.
func DecodeJSON(dec *json.Decoder) (Object, error) {
	var o Object
	tok, err := dec.Token()
	if err != nil {
		return o, err
	}
	if tok != json.Delim('{') {
		return o, &FieldError{Err: fmt.Errorf("%s, not an object with %s", describe(tok), strings.Join(keys[:], " and "))}
	}
	var seen [len(keys)]bool
	for dec.More() {
		if tok, err = dec.Token(); err != nil {
			return o, err
		}
		key, _ := tok.(string) // inside an object the decoder returns only string keys
		i, err := field(key, &seen)
		if err != nil {
			return o, &FieldError{key, err}
		}
		if tok, err = dec.Token(); err != nil {
			return o, err
		}
		s, isString := tok.(string)
		switch {
		case isString && strings.ContainsRune(s, utf8.RuneError):
			// encoding/json turns bytes that are not UTF-8 and unpaired surrogate escapes into
			// U+FFFD without a word: refused, so that no string changes on its way through.
			return o, &FieldError{key, errors.New("holds bytes that are not UTF-8, an unpaired surrogate escape or U+FFFD")}
		case isString && i == 1 && s == "":
			return o, &FieldError{key, errors.New(`an empty string (an object without a ts has "ts":null)`)}
		case isString && i == 0:
			o.UUID = s
		case isString:
			o.TS = s
		case tok != nil || i == 0: // a null ts is an item without one
			return o, &FieldError{key, fmt.Errorf("%s, not a string", describe(tok))}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return o, err
	}
	for i, ok := range seen {
		if !ok {
			return o, &FieldError{keys[i], errors.New("missing")}
		}
	}
	return o, nil
}

// field is key's index in keys, marking it seen; a key seen before, in another case or unknown
// is an error.
func field(key string, seen *[len(keys)]bool) (int, error) {
	for i, k := range keys {
		switch {
		case key == k && seen[i]:
			return i, errors.New("appears twice in one object")
		case key == k:
			seen[i] = true
			return i, nil
		case strings.EqualFold(key, k):
			return i, fmt.Errorf("keys are case-sensitive: this one is %q", k)
		}
	}
	return 0, fmt.Errorf("unknown field (an object has exactly %s)", strings.Join(keys[:], " and "))
}

// describe names a JSON token in an error.
func describe(tok any) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "a JSON array"
		}
		return "a JSON object"
	case string:
		return "a JSON string"
	case nil:
		return "null"
	}
	return clip(fmt.Sprint(tok)) // a number or a boolean, as written
}
