package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/object"
)

const (
	id1 = "3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f"
	id2 = "0b9a7c62-35d2-4f1e-8a44-1c2d3e4f5a6b"
	ts1 = "2026-11-29T08:06:56.563581"
)

// checkDoc runs import's check on a document.
func checkDoc(doc string, verbatim bool) (checked, error) {
	var n atomic.Int64
	return checkObjects(context.Background(), strings.NewReader(doc), verbatim, &n)
}

// readAll is every object of a document, by import's second pass.
func readAll(t *testing.T, doc string, verbatim bool) (objs []object.Object, lines []int) {
	t.Helper()
	p, err := newParser(context.Background(), strings.NewReader(doc), verbatim)
	for err == nil {
		o, line, ok, nerr := p.next()
		if err = nerr; !ok {
			break
		}
		objs, lines = append(objs, o), append(lines, line)
	}
	if err != nil {
		t.Fatalf("reading %q: %v", doc, err)
	}
	return objs, lines
}

// Every bad file is refused with the line (and the object's field) where it goes wrong. Which
// objects are bad (ambiguous keys, wrong types, ids, ts) is package object's, proven there
// (TestDecodeJSONRefusesAmbiguity, TestCheck, TestCheckTS); a few of them show the prefix here.
func TestParseNamesLineAndField(t *testing.T) {
	ok := `{"uuid":"` + id1 + `","ts":"` + ts1 + `"}`
	doc := func(second string) string { return "{\"objects\":[\n" + ok + ",\n" + second + "\n]}\n" }
	for _, tc := range []struct{ name, file, want string }{
		{"id not a UUID", doc(`{"uuid":"42","ts":"` + ts1 + `"}`), `line 3: objects[1].uuid: invalid object id "42": it has 2 characters, not 36`},
		{"version-1 id", doc(`{"uuid":"3f2b8c9e-4d1a-1e6b-9c2d-7a8b9c0d1e2f","ts":"` + ts1 + `"}`), "line 3: objects[1].uuid: invalid object id \"3f2b8c9e-4d1a-1e6b-9c2d-7a8b9c0d1e2f\": it is a version-1 UUID"},
		{"same id twice", doc(`{"uuid":"` + strings.ToUpper(id1) + `","ts":"` + ts1 + `"}`), "line 3: objects[1].uuid: " + id1 + " appears again (first on line 2)"},
		{"ts with an offset", doc(`{"uuid":"` + id2 + `","ts":"2026-11-29T08:06:56.563581Z"}`), `line 3: objects[1].ts: invalid ts "2026-11-29T08:06:56.563581Z"`},
		{"unknown field", doc(`{"uuid":"` + id2 + `","ts":"` + ts1 + `","color":"red"}`), `line 3: objects[1].color: unknown field`},
		{"broken JSON", doc(`{"uuid":"` + id2 + `",,}`), "line 3: not valid JSON"},
		{"cut short", "{\"objects\":[\n" + ok + ",\n", "line 3: the file ends too early"},
		{"empty", "", "line 1: the file ends too early"},
		{"a list", "[" + ok + "]", "line 1: the file does not start with {"},
		{"other top-level field", "{\"objects\":[],\n\"next\":1}", `line 2: unexpected field "next" at the top level`},
		{"objects twice", "{\"objects\":[],\n\"objects\":[" + ok + "]}", `line 2: "objects" appears twice at the top level`},
		{"Objects", `{"Objects":[]}`, `line 1: field "Objects": keys are case-sensitive: this one is "objects"`},
		{"no objects", "{}", `line 1: no "objects" field`},
		{"objects not a list", `{"objects":{}}`, `line 1: "objects" is not an array`},
		{"data after the end", "{\"objects\":[\n" + ok + "\n]}\n{}", "line 4: data after the closing }"},
		{"a value over 1 MiB", doc(`{"uuid":"` + strings.Repeat("x", 2<<20) + `"}`), "line 3: more than 1 MiB without the start of a new object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := checkDoc(tc.file, false)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("check(%.200q) = %.300v, want an error containing %q", tc.file, err, tc.want)
			}
		})
	}
}

// GET /objects answers on one line; such a file loads, ids in lowercase, and a null ts (an
// item another program wrote without one) is an object without a ts.
func TestParseAPIAnswer(t *testing.T) {
	objs, lines := readAll(t, `{"objects":[{"uuid":"`+strings.ToUpper(id1)+`","ts":"`+ts1+`"},{"uuid":"`+id2+`","ts":null}]}`, false)
	want := []object.Object{{UUID: id1, TS: ts1}, {UUID: id2}}
	if len(objs) != 2 || objs[0] != want[0] || objs[1] != want[1] || lines[1] != 1 {
		t.Fatalf("objects %+v on lines %v; want %+v, both on line 1", objs, lines, want)
	}
}

// -verbatim takes ids and ts as they are (so a table other programs wrote into round-trips),
// still one object per id and keys DynamoDB takes.
func TestParseVerbatim(t *testing.T) {
	in := []object.Object{{UUID: strings.ToUpper(id1), TS: "yesterday"}, {UUID: id1, TS: ts1}, {UUID: "made by hand"}}
	var b strings.Builder
	b.WriteString(`{"objects":[`)
	for i, o := range in {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(o.AppendJSON([]byte{'\n'}))
	}
	b.WriteString("\n]}")
	if got, _ := readAll(t, b.String(), true); len(got) != len(in) || got[0] != in[0] || got[2] != in[2] {
		t.Fatalf("-verbatim read %+v; want %+v", got, in)
	}
	if _, err := checkDoc(b.String(), false); err == nil || !strings.Contains(err.Error(), "line 2: objects[0].ts: invalid ts") {
		t.Fatalf("without -verbatim: %v; want the ts refused", err)
	}
	for _, bad := range []string{`{"uuid":"","ts":null}`, `{"uuid":"` + strings.Repeat("x", 2049) + `","ts":null}`, `{"uuid":"a","ts":null},{"uuid":"a","ts":null}`} {
		if _, err := checkDoc(`{"objects":[`+bad+`]}`, true); err == nil || !strings.Contains(err.Error(), "objects[") {
			t.Errorf("-verbatim check of %.80s: %v; want it refused", bad, err)
		}
	}
}

// writeFile writes a data file of n new objects, one a line as export writes it, and returns
// its path; object i is on line i+2.
func writeFile(t testing.TB, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "objects.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 64<<10)
	genObjects(w, n)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func genObjects(w io.Writer, n int) {
	fmt.Fprint(w, `{"objects":[`)
	ts := object.TS(time.Now())
	buf := make([]byte, 0, 128)
	for i := range n {
		buf = buf[:0]
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = object.Object{UUID: uuid.NewString(), TS: ts}.AppendJSON(append(buf, '\n'))
		_, _ = w.Write(buf)
	}
	fmt.Fprint(w, "\n]}\n")
}

// Line numbers stay exact deep into a file, across the reader's buffers.
func TestParseCountsLinesAcrossBuffers(t *testing.T) {
	const n = 50_000
	data, err := os.ReadFile(writeFile(t, n))
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), "\n]}", ",\n{}\n]}", 1)
	_, err = checkDoc(bad, false)
	want := fmt.Sprintf("line %d: objects[%d].uuid: missing", n+2, n)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("check = %v; want %q", err, want)
	}
	if c, err := checkDoc(string(data), false); err != nil || c != (checked{n: n, first: 2, last: n + 1}) {
		t.Fatalf("check = %+v, %v; want %d objects on lines 2 to %d", c, err, n, n+1)
	}
}
