package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/store"
)

// TestMain is also the command itself when a test runs it as a process (startTool).
func TestMain(m *testing.M) {
	if os.Getenv(runMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(testutil.Run(m))
}

// table is an empty table on the test backend, and the command pointed at it.
type table struct {
	t                  *testing.T
	endpoint, name, hk string
	st                 *store.Store
}

// newTable creates a table with hash key hk; endpoint overrides the backend (a fault proxy).
func newTable(t *testing.T, hk string) *table {
	t.Helper()
	ep := testutil.Endpoint(t)
	c := testutil.Client(t, ep)
	name := testutil.CreateTable(t, c, hk)
	return &table{t: t, endpoint: ep, name: name, hk: hk, st: store.New(c, store.Config{Table: name, HashKey: hk, Timeout: 10 * time.Second})}
}

// run runs the command against the table, with the environment the API would get.
func (tb *table) run(args ...string) (stdout, stderr string, err error) {
	tb.t.Helper()
	env := map[string]string{
		"DDB_ENDPOINT_URL": tb.endpoint, "DDB_TABLE_NAME": tb.name, "DDB_HASH_KEY_NAME": tb.hk,
		"AWS_REGION": testutil.Region,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	err = run(ctx, args, env, &out, &errOut)
	return out.String(), errOut.String(), err
}

// objects is the table's content, id -> ts, read with the store's own Scan.
func (tb *table) objects() map[string]string {
	got := map[string]string{}
	for _, o := range testutil.ScanAll(tb.t, tb.st) {
		got[o.UUID] = o.TS
	}
	return got
}

// Seed writes n objects and says so; an exported file imported into another table (another
// hash-key name, too) gives the same objects, ids and ts; importing it again changes nothing.
// That import refuses an id or ts the API would (no -verbatim), so the seeded objects are valid.
func TestExportImportRoundTrip(t *testing.T) {
	src := newTable(t, "uuid")
	if out, _, err := src.run("-concurrency", "8", "seed", "-n", "300"); err != nil || !strings.Contains(out, "seed: wrote 300 new objects to table "+src.name) {
		t.Fatalf("seed: %v; its summary %q does not say it wrote 300 objects to %s", err, out, src.name)
	}
	want := src.objects()
	file := filepath.Join(t.TempDir(), "objects.json")
	if out, _, err := src.run("export", file); err != nil || !strings.Contains(out, "export: wrote 300 objects") {
		t.Fatalf("export: %v (%q)", err, out)
	}
	assertAPIShape(t, file, want)

	dst := newTable(t, "object_id")
	for i, summary := range []string{"(300 new, 0 already there", "(0 new, 300 already there"} {
		out, _, err := dst.run("import", file)
		if err != nil || !strings.Contains(out, "import: wrote 300 objects") || !strings.Contains(out, summary) {
			t.Fatalf("import #%d: %v; summary %q, want it to say %q", i+1, err, out, summary)
		}
		if got := dst.objects(); !maps.Equal(got, want) {
			t.Fatalf("after import #%d the table holds %d objects, not the %d exported ones with their ts", i+1, len(got), len(want))
		}
	}
}

// assertAPIShape checks the file is GET /objects' document: {"objects":[{"uuid","ts"}...]}.
func assertAPIShape(t *testing.T, file string, want map[string]string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Objects []struct{ UUID, TS string }
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("the exported file is not {\"objects\":[...]}: %v", err)
	}
	got := map[string]string{}
	for _, o := range doc.Objects {
		got[o.UUID] = o.TS
	}
	if len(doc.Objects) != len(want) || !maps.Equal(got, want) {
		t.Fatalf("the exported file holds %d objects; the table %d (or their ts differ)", len(doc.Objects), len(want))
	}
}
