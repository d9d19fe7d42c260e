package httpapi

import (
	"encoding/json"
)

// Responses are appended by hand: their shapes are fixed and small, and this is the request
// path. Strings that may need escaping go through encoding/json.

func errorBody(msg string) []byte {
	b := append(make([]byte, 0, len(msg)+16), `{"error":`...)
	return append(appendString(b, msg), '}')
}

// appendObject appends {"uuid":"...","ts":"..."}; a missing ts is null.
func appendObject(b []byte, uuid, ts string) []byte {
	b = appendString(append(b, `{"uuid":`...), uuid)
	if ts == "" {
		return append(b, `,"ts":null}`...)
	}
	return append(appendString(append(b, `,"ts":`...), ts), '}')
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s) // escapes, and replaces invalid UTF-8 with U+FFFD
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
