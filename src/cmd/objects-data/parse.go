package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/acme/objects-api/src/object"
)

// fileShape is what every parse error ends with.
const fileShape = `a data file is {"objects":[{"uuid":"<version-4 uuid>","ts":"YYYY-MM-DDTHH:MM:SS.ffffff"},...]}, as GET /objects and export write it`

// parseError is a bad data file: where (line, and the element's path when known) and why.
type parseError struct {
	line  int
	field string // e.g. objects[3].ts; empty for the file's structure
	msg   string
}

func (e *parseError) Error() string {
	if e.field == "" {
		return fmt.Sprintf("line %d: %s; %s", e.line, e.msg, fileShape)
	}
	return fmt.Sprintf("line %d: %s: %s", e.line, e.field, e.msg)
}

// parse reads a data file: every object valid as the API would have written it (a version-4
// id, stored in lowercase; a ts in the API's format) and no id twice. lines[i] is the line
// objs[i] starts on.
func parse(data []byte) (objs []object.Object, lines []int, err error) {
	p := &parser{data: data, dec: json.NewDecoder(bytes.NewReader(data)), seen: map[string]int{}}
	p.dec.DisallowUnknownFields()
	if err := p.delim('{', "the file does not start with {"); err != nil {
		return nil, nil, err
	}
	sawObjects := false
	for p.dec.More() {
		tok, err := p.token()
		if err != nil {
			return nil, nil, err
		}
		if key, _ := tok.(string); key != "objects" || sawObjects {
			return nil, nil, p.fail(p.dec.InputOffset(), "", fmt.Sprintf("unexpected field %q at the top level", key))
		}
		sawObjects = true
		if err := p.objects(); err != nil {
			return nil, nil, err
		}
	}
	if !sawObjects {
		return nil, nil, p.fail(p.dec.InputOffset(), "", `no "objects" field`)
	}
	if err := p.delim('}', "expected } after the objects"); err != nil {
		return nil, nil, err
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, p.fail(p.dec.InputOffset(), "", "data after the closing }")
	}
	return p.objs, p.lines, nil
}

type parser struct {
	data  []byte
	dec   *json.Decoder
	seen  map[string]int // id -> line
	objs  []object.Object
	lines []int
}

func (p *parser) objects() error {
	if err := p.delim('[', `"objects" is not an array`); err != nil {
		return err
	}
	for i := 0; p.dec.More(); i++ {
		start := p.dec.InputOffset()
		var raw struct{ UUID, TS json.RawMessage }
		if err := p.dec.Decode(&raw); err != nil {
			return p.decodeError(err, start, fmt.Sprintf("objects[%d]", i))
		}
		line := p.lineAt(start)
		o, err := p.object(raw.UUID, raw.TS, line, i)
		if err != nil {
			return err
		}
		p.seen[o.UUID] = line
		p.objs, p.lines = append(p.objs, o), append(p.lines, line)
	}
	return p.delim(']', "expected ] after the last object")
}

func (p *parser) object(rawID, rawTS json.RawMessage, line, i int) (object.Object, error) {
	at := func(field, msg string) error {
		return &parseError{line: line, field: fmt.Sprintf("objects[%d].%s", i, field), msg: msg}
	}
	id, err := str(rawID)
	if err != nil {
		return object.Object{}, at("uuid", err.Error())
	}
	if id, err = object.ParseID(id); err != nil {
		return object.Object{}, at("uuid", err.Error())
	}
	if first, dup := p.seen[id]; dup {
		return object.Object{}, at("uuid", fmt.Sprintf("%s appears again (first on line %d): each object once", id, first))
	}
	ts, err := str(rawTS)
	if err != nil {
		return object.Object{}, at("ts", err.Error()+" (null: the item had no ts attribute when it was exported)")
	}
	if err := object.CheckTS(ts); err != nil {
		return object.Object{}, at("ts", err.Error())
	}
	return object.Object{UUID: id, TS: ts}, nil
}

// str decodes a required JSON string.
func str(raw json.RawMessage) (string, error) {
	switch {
	case raw == nil:
		return "", errors.New("missing")
	case string(raw) == "null":
		return "", errors.New("null, not a string")
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%s is not a string", clip(string(raw)))
	}
	return s, nil
}

func (p *parser) token() (json.Token, error) {
	off := p.dec.InputOffset()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.decodeError(err, off, "")
	}
	return tok, nil
}

func (p *parser) delim(want json.Delim, msg string) error {
	off := p.dec.InputOffset()
	tok, err := p.token()
	if err != nil {
		return err
	}
	if tok != want {
		return p.fail(off, "", msg)
	}
	return nil
}

// decodeError places a decoder error: syntax and type errors carry their own offset.
func (p *parser) decodeError(err error, start int64, field string) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return p.fail(int64(len(p.data)), "", "the file ends too early")
	case errors.As(err, &syn):
		return p.fail(syn.Offset, "", "not valid JSON: "+syn.Error())
	case errors.As(err, &typ):
		return p.fail(start, field, fmt.Sprintf("a JSON %s, not an object with uuid and ts", typ.Value))
	}
	// DisallowUnknownFields: `json: unknown field "x"`.
	return p.fail(start, field, fmt.Sprintf("%v (an object has exactly uuid and ts)", err))
}

func (p *parser) fail(off int64, field, msg string) error {
	return &parseError{line: p.lineAt(off), field: field, msg: msg}
}

// lineAt is the line of the first byte at or after off that is not white space or a comma (the
// decoder's offsets point just past the previous token).
func (p *parser) lineAt(off int64) int {
	off = min(max(off, 0), int64(len(p.data)))
	for off < int64(len(p.data)) && bytes.IndexByte([]byte(" \t\r\n,"), p.data[off]) >= 0 {
		off++
	}
	return bytes.Count(p.data[:off], []byte("\n")) + 1
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
