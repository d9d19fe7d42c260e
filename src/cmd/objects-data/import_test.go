package main

import (
	"context"
	"maps"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/object"
)

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

// Import and check read only regular files, and say what they were given instead, at once:
// a FIFO would block or stream for ever and /dev/zero never ends.
func TestImportRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	env := map[string]string{"DDB_TABLE_NAME": "objects", "AWS_REGION": testutil.Region} // never reached
	for path, kind := range map[string]string{fifo: "a FIFO (named pipe)", "/dev/zero": "a device", dir: "a directory", sock: "a socket"} {
		for _, verb := range []string{"import", "check"} {
			start := time.Now()
			var out strings.Builder
			err := run(context.Background(), []string{verb, path}, env, &out, &out)
			if err == nil || !strings.Contains(err.Error(), path+" is "+kind+": give a regular file") {
				t.Errorf("%s %s: %v; want it refused as %s", verb, path, err, kind)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("%s %s took %s to refuse", verb, path, d)
			}
		}
	}
}

// check reads a file as import does and needs no table nor configuration.
func TestCheckNeedsNoTable(t *testing.T) {
	file := writeFile(t, 300)
	var out, errOut strings.Builder
	if err := run(context.Background(), []string{"check", file}, nil, &out, &errOut); err != nil {
		t.Fatalf("check: %v", err)
	}
	if want := "check: " + file + " holds 300 objects (lines 2 to 301)"; !strings.HasPrefix(out.String(), want) {
		t.Fatalf("check said %q; want %q", out.String(), want)
	}
}

// A table holding items other programs wrote (no ts, a number ts, an id in capitals or no UUID
// at all, a ts in another format, extra attributes) exports as GET /objects lists it; import
// refuses that file, saying -verbatim loads it, and -verbatim loads it into another table that
// then lists the same objects.
func TestExportImportRoundTripItemsOfOtherPrograms(t *testing.T) {
	src := newTable(t, "uuid")
	c := testutil.Client(t, src.endpoint)
	for _, item := range []map[string]types.AttributeValue{
		object.Object{UUID: id1}.Item("uuid"),
		{"uuid": &types.AttributeValueMemberS{Value: id2}, "ts": &types.AttributeValueMemberN{Value: "7"}},
		object.Object{UUID: strings.ToUpper("7d444840-9dc0-41d7-8ea1-2f5b6c8d9e0f"), TS: ts1}.Item("uuid"),
		object.Object{UUID: "made by hand", TS: "yesterday"}.Item("uuid"),
		{"uuid": &types.AttributeValueMemberS{Value: "with extras"}, "colour": &types.AttributeValueMemberS{Value: "red"}},
	} {
		if _, err := c.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: &src.name, Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	want := src.objects()
	file := filepath.Join(t.TempDir(), "objects.json")
	out, _, err := src.run("export", file)
	if err != nil || !strings.Contains(out, "export: 3 of them are not as the API writes them") {
		t.Fatalf("export: %v; summary %q, want it to name the 3 items import -verbatim needs", err, out)
	}
	dst := newTable(t, "object_id")
	if _, _, err := dst.run("import", file); err == nil || !strings.Contains(err.Error(), "loads with import -verbatim); nothing was written") {
		t.Fatalf("import without -verbatim: %v; want it refused, pointing to -verbatim", err)
	}
	if _, _, err := dst.run("import", "-verbatim", file); err != nil {
		t.Fatalf("import -verbatim: %v", err)
	}
	if got := dst.objects(); !maps.Equal(got, want) {
		t.Fatalf("after export and import -verbatim the table lists %v; the source listed %v", got, want)
	}
}
