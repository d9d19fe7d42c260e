package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// When DynamoDB goes away mid-run the command stops and says exactly how many objects it
// wrote; the table holds exactly those.
func TestBackendFailureReportsWhatWasWritten(t *testing.T) {
	tb := newTable(t, "uuid")
	tb.endpoint = startFaults(t, tb.endpoint, &faults{allow: map[string]int{"PutItem": 120}})
	_, _, err := tb.run("-concurrency", "4", "seed", "-n", "500")
	if err == nil {
		t.Fatal("seed succeeded although DynamoDB rejected every PutItem after the 120th")
	}
	n := len(tb.objects())
	if n != 120 {
		t.Fatalf("the table holds %d objects; the proxy let 120 PutItems through", n)
	}
	want := fmt.Sprintf("seed: stopped after writing %d of 500 objects (%d new, 0 replaced); ", n, n)
	if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "PutItem") {
		t.Fatalf("seed's error %q; want it to start %q and name the failed PutItem", err, want)
	}
}

// A failed export leaves no file behind, not even a truncated one.
func TestExportFailureWritesNoFile(t *testing.T) {
	tb := newTable(t, "uuid")
	if _, _, err := tb.run("seed", "-n", "10"); err != nil {
		t.Fatal(err)
	}
	tb.endpoint = startFaults(t, tb.endpoint, &faults{allow: map[string]int{"Scan": 0}})
	dir := t.TempDir()
	file := filepath.Join(dir, "objects.json")
	_, _, err := tb.run("export", file)
	if err == nil || !strings.HasPrefix(err.Error(), "export: stopped after reading 0 objects; "+file+" was not written: Scan") {
		t.Fatalf("export with Scan failing: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("a failed export left %d files in %s, e.g. %s", len(left), dir, left[0].Name())
	}
}

// A run longer than progressAfter reports progress on stderr.
func TestProgressOnStderr(t *testing.T) {
	tb := newTable(t, "uuid")
	tb.endpoint = startFaults(t, tb.endpoint, &faults{delay: 20 * time.Millisecond}) // 40 writes, 2 at a time: >= 400 ms
	defer func(d time.Duration) { progressAfter = d }(progressAfter)
	progressAfter = 100 * time.Millisecond
	_, stderr, err := tb.run("-concurrency", "2", "seed", "-n", "40")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "/40 written (") {
		t.Fatalf("no progress on stderr in a run of at least 400 ms: %q", stderr)
	}
}
