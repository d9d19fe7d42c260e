package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/acme/objects-api/src/object"
)

// fileShape is what an error about the file's structure ends with.
const fileShape = `a data file is {"objects":[...]} with the objects as GET /objects lists them, as export writes it`

// parseError is a bad data file: where (line, and the element's path when known) and why.
type parseError struct {
	line  int
	field string // e.g. objects[3].ts; empty for the file's structure
	msg   string
	rule  bool // an API rule (object.Check) refused it, not the file's form
}

func (e *parseError) Error() string {
	if e.field == "" {
		return fmt.Sprintf("line %d: %s; %s", e.line, e.msg, fileShape)
	}
	return fmt.Sprintf("line %d: %s: %s", e.line, e.field, e.msg)
}

// parser reads a data file's objects one at a time, as a stream: it holds one object and the
// decoder's buffer, whatever the file's size. Each object is read strictly (object.DecodeJSON)
// and held to the API's rules (object.Check), or only to DynamoDB's (object.CheckKey) when
// verbatim. It does not look for ids seen twice: that is check's job.
type parser struct {
	in       *lineReader
	dec      *json.Decoder
	verbatim bool
	n        int // objects read so far
}

// newParser reads the file's head, `{"objects":[`.
func newParser(ctx context.Context, r io.Reader, verbatim bool) (*parser, error) {
	in := &lineReader{ctx: ctx, r: bufio.NewReaderSize(r, 64<<10), line: 1}
	p := &parser{in: in, dec: json.NewDecoder(in), verbatim: verbatim}
	p.dec.UseNumber() // a number where a string belongs is quoted as written
	if err := p.delim('{', "the file does not start with {"); err != nil {
		return nil, err
	}
	if err := p.member(false); err != nil {
		return nil, err
	}
	return p, p.delim('[', `"objects" is not an array`)
}

// next returns the next object and the line it starts on. ok is false after the last one, once
// the rest of the file is checked too: the closing ] and }, and nothing after them.
func (p *parser) next() (o object.Object, line int, ok bool, err error) {
	if err := p.in.ctx.Err(); err != nil {
		return o, 0, false, err
	}
	if !p.dec.More() {
		return o, 0, false, p.end()
	}
	line = p.in.startLine(p.dec.InputOffset())
	if o, err = object.DecodeJSON(p.dec); err != nil {
		return o, line, false, p.objectError(err, line, false)
	}
	if p.verbatim {
		err = o.CheckKey()
	} else {
		o, err = o.Check()
	}
	if err != nil {
		return o, line, false, p.objectError(err, line, !p.verbatim)
	}
	p.n++
	return o, line, true, nil
}

// end reads what follows the objects: `]}` and the end of the file.
func (p *parser) end() error {
	if err := p.delim(']', "expected ] after the last object"); err != nil {
		return err
	}
	if err := p.member(true); err != nil {
		return err
	}
	off := p.dec.InputOffset()
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		if err := p.in.ctx.Err(); err != nil {
			return err
		}
		return p.fail(off, "data after the closing }")
	}
	return nil
}

// member reads the top level's next key, which must be "objects", once; after it (done), only
// the closing }.
func (p *parser) member(done bool) error {
	off := p.dec.InputOffset()
	tok, err := p.token()
	if err != nil {
		return err
	}
	key, isKey := tok.(string)
	switch {
	case !isKey && done: // the closing }
		return nil
	case !isKey:
		return p.fail(off, `no "objects" field`)
	case key == "objects" && done:
		return p.fail(off, `"objects" appears twice at the top level`)
	case key == "objects":
		return nil
	case strings.EqualFold(key, "objects"):
		return p.fail(off, fmt.Sprintf("field %q: keys are case-sensitive: this one is \"objects\"", key))
	}
	return p.fail(off, fmt.Sprintf("unexpected field %q at the top level", key))
}

// objectError places an error in the object that starts on line.
func (p *parser) objectError(err error, line int, rule bool) error {
	var fe *object.FieldError
	if !errors.As(err, &fe) {
		return p.decodeError(err)
	}
	field := fmt.Sprintf("objects[%d]", p.n)
	if fe.Field != "" {
		field += "." + fe.Field
	}
	return &parseError{line: line, field: field, msg: fe.Err.Error(), rule: rule}
}

func (p *parser) token() (json.Token, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.decodeError(err)
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
		return p.fail(off, msg)
	}
	return nil
}

// decodeError places a decoder error; an interruption or a read error passes as it is.
func (p *parser) decodeError(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, errTooLong):
		return &parseError{line: p.in.start, msg: err.Error() + ", from here"}
	// The decoder reports a file cut short as this syntax error (Go 1.27), or as an EOF.
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &syn) && syn.Error() == "unexpected end of JSON input":
		return &parseError{line: p.in.lineAt(p.in.end()), msg: "the file ends too early"}
	case errors.As(err, &syn):
		return &parseError{line: p.in.lineAt(syn.Offset - 1), msg: "not valid JSON: " + syn.Error()}
	}
	return err
}

func (p *parser) fail(off int64, msg string) error {
	return &parseError{line: p.in.startLine(off), msg: msg}
}
