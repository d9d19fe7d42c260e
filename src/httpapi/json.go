package httpapi

import "encoding/json"

// Responses go through encoding/json (Fiber's c.JSON), except the objects of GET /objects: a
// page of 10,000 is appended by hand with no allocation, where encoding/json makes 3 per object
// and is about half as fast (BenchmarkListPage; figures in docs/BENCHMARKS.md).

type errorJSON struct {
	Error string `json:"error"`
}

type objectJSON struct {
	UUID string  `json:"uuid"`
	TS   *string `json:"ts"` // null for an item written by another program
}

func errorBody(msg string) []byte {
	b, _ := json.Marshal(errorJSON{msg}) // a struct of one string always encodes
	return b
}

func newObjectJSON(uuid, ts string) objectJSON {
	o := objectJSON{UUID: uuid}
	if ts != "" {
		o.TS = &ts
	}
	return o
}

// appendObject appends {"uuid":"...","ts":"..."} as encoding/json writes newObjectJSON.
func appendObject(b []byte, uuid, ts string) []byte {
	b = appendString(append(b, `{"uuid":`...), uuid)
	if ts == "" {
		return append(b, `,"ts":null}`...)
	}
	return append(appendString(append(b, `,"ts":`...), ts), '}')
}

// appendString appends s as a JSON string; one needing escapes goes through encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // escapes, and replaces invalid UTF-8 with U+FFFD
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
