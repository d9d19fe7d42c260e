package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	id1 = "3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f"
	id2 = "0b9a7c62-35d2-4f1e-8a44-1c2d3e4f5a6b"
	ts1 = "2026-11-29T08:06:56.563581"
)

// Every bad file is refused with the line (and the object's field) where it goes wrong.
func TestParseNamesLineAndField(t *testing.T) {
	ok := `{"uuid":"` + id1 + `","ts":"` + ts1 + `"}`
	doc := func(second string) string { return "{\"objects\":[\n" + ok + ",\n" + second + "\n]}\n" }
	for _, tc := range []struct{ name, file, want string }{
		{"id not a UUID", doc(`{"uuid":"42","ts":"` + ts1 + `"}`), `line 3: objects[1].uuid: invalid object id "42": it has 2 characters, not 36`},
		{"version-1 id", doc(`{"uuid":"3f2b8c9e-4d1a-1e6b-9c2d-7a8b9c0d1e2f","ts":"` + ts1 + `"}`), "line 3: objects[1].uuid: invalid object id \"3f2b8c9e-4d1a-1e6b-9c2d-7a8b9c0d1e2f\": it is a version-1 UUID"},
		{"id missing", doc(`{"ts":"` + ts1 + `"}`), "line 3: objects[1].uuid: missing"},
		{"id a number", doc(`{"uuid":42,"ts":"` + ts1 + `"}`), "line 3: objects[1].uuid: 42 is not a string"},
		{"same id twice", doc(`{"uuid":"` + strings.ToUpper(id1) + `","ts":"` + ts1 + `"}`), "line 3: objects[1].uuid: " + id1 + " appears again (first on line 2)"},
		{"ts with an offset", doc(`{"uuid":"` + id2 + `","ts":"2026-11-29T08:06:56.563581Z"}`), `line 3: objects[1].ts: invalid ts "2026-11-29T08:06:56.563581Z"`},
		{"ts with 3 digits", doc(`{"uuid":"` + id2 + `","ts":"2026-11-29T08:06:56.563"}`), `line 3: objects[1].ts: invalid ts`},
		{"ts null", doc(`{"uuid":"` + id2 + `","ts":null}`), "line 3: objects[1].ts: null, not a string"},
		{"unknown field", doc(`{"uuid":"` + id2 + `","ts":"` + ts1 + `","color":"red"}`), `line 3: objects[1]: json: unknown field "color"`},
		{"not an object", doc(`"` + id2 + `"`), "line 3: objects[1]: a JSON string, not an object with uuid and ts"},
		{"broken JSON", doc(`{"uuid":"` + id2 + `",,}`), "line 3: not valid JSON"},
		{"cut short", "{\"objects\":[\n" + ok + ",\n", "line 3: the file ends too early"},
		{"empty", "", "line 1: the file ends too early"},
		{"a list", "[" + ok + "]", "line 1: the file does not start with {"},
		{"other top-level field", "{\"objects\":[],\n\"next\":1}", `line 2: unexpected field "next" at the top level`},
		{"no objects", "{}", `line 1: no "objects" field`},
		{"objects not a list", `{"objects":{}}`, `line 1: "objects" is not an array`},
		{"data after the end", "{\"objects\":[\n" + ok + "\n]}\n{}", "line 4: data after the closing }"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := parse([]byte(tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("parse(%q) = %v, want an error containing %q", tc.file, err, tc.want)
			}
		})
	}
}

// GET /objects answers on one line; such a file loads, ids in lowercase.
func TestParseAPIAnswer(t *testing.T) {
	objs, lines, err := parse([]byte(`{"objects":[{"uuid":"` + strings.ToUpper(id1) + `","ts":"` + ts1 + `"},{"uuid":"` + id2 + `","ts":"` + ts1 + `"}]}`))
	if err != nil || len(objs) != 2 || objs[0].UUID != id1 || objs[1].TS != ts1 || lines[1] != 1 {
		t.Fatalf("parse = %v, %v, %v; want both objects, the first id in lowercase, both on line 1", objs, lines, err)
	}
}

// A bad file writes nothing, even where its first objects are good.
func TestImportBadFileWritesNothing(t *testing.T) {
	tb := newTable(t, "uuid")
	file := filepath.Join(t.TempDir(), "bad.json")
	body := "{\"objects\":[\n{\"uuid\":\"" + id1 + "\",\"ts\":\"" + ts1 + "\"},\n{\"uuid\":\"" + id2 + "\",\"ts\":\"yesterday\"}\n]}\n"
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := tb.run("import", file)
	want := "import: " + file + ", line 3: objects[1].ts: invalid ts \"yesterday\""
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "; nothing was written") {
		t.Fatalf("import of a bad file: %v; want %q ... nothing was written", err, want)
	}
	if n := len(tb.objects()); n != 0 {
		t.Fatalf("the table holds %d objects after a refused import", n)
	}
}
