package main

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/acme/objects-api/src/internal/testutil"
)

// runMain makes the test binary run main (TestMain), so a test can signal the command as a process.
const runMain = "OBJECTS_DATA_TEST_RUN_MAIN"

// startTool starts the command as a process against the table, with the API's environment
// (the dummy keys are in the test's, from testutil.Client).
func (tb *table) startTool(args ...string) (*testutil.Proc, *testutil.SyncBuffer) {
	tb.t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runMain+"=1",
		"DDB_ENDPOINT_URL="+tb.endpoint, "DDB_TABLE_NAME="+tb.name, "DDB_HASH_KEY_NAME="+tb.hk,
		"AWS_REGION="+testutil.Region)
	var out testutil.SyncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	p, err := testutil.StartProc(cmd)
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Cleanup(func() { p.Stop(0) })
	return p, &out
}

// signalWhen sends sig once ready reports true, and returns how long the process took to exit
// after it. It fails the test if the process exits first or ready never comes.
func signalWhen(t *testing.T, p *testutil.Proc, out *testutil.SyncBuffer, sig syscall.Signal, ready func() bool) time.Duration {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ready() {
		select {
		case <-p.Done:
			t.Fatalf("the command ended before the moment to signal it: %v\n%s", p.Err, out)
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no moment to signal the command in 30 s:\n%s", out)
		}
	}
	sent := time.Now()
	if err := p.Cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done:
		return time.Since(sent)
	case <-time.After(10 * time.Second):
		t.Fatalf("the command still runs 10 s after %v:\n%s", sig, out)
	}
	return 0
}

// reading reports whether process pid has file open with its offset strictly inside it.
func reading(pid int, file string, size int64) bool {
	dir := "/proc/" + strconv.Itoa(pid)
	fds, _ := os.ReadDir(dir + "/fd")
	for _, fd := range fds {
		if target, _ := os.Readlink(dir + "/fd/" + fd.Name()); target != file {
			continue
		}
		info, _ := os.ReadFile(dir + "/fdinfo/" + fd.Name())
		m := regexp.MustCompile(`(?m)^pos:\s+(\d+)$`).FindSubmatch(info)
		if m == nil {
			return false
		}
		pos, _ := strconv.ParseInt(string(m[1]), 10, 64)
		return pos > 0 && pos < size
	}
	return false
}

// SIGINT while import checks its file ends it within a second, having written nothing, and
// says so.
func TestSignalWhileChecking(t *testing.T) {
	tb := newTable(t, "uuid")
	file := writeFile(t, 200_000)
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	p, out := tb.startTool("import", file)
	took := signalWhen(t, p, out, syscall.SIGINT, func() bool { return reading(p.Cmd.Process.Pid, file, fi.Size()) })
	want := regexp.MustCompile(`import: ` + regexp.QuoteMeta(file) + `, interrupted \(interrupt signal received\) while checking it, after \d+ objects; nothing was written`)
	if !want.MatchString(out.String()) || p.Cmd.ProcessState.ExitCode() != 1 {
		t.Fatalf("exit %d, output %q; want exit 1 and %s", p.Cmd.ProcessState.ExitCode(), out, want)
	}
	if took > time.Second {
		t.Errorf("the command took %s to end after SIGINT", took)
	}
	if n := len(tb.objects()); n != 0 {
		t.Fatalf("the table holds %d objects after an import interrupted before writing", n)
	}
}

// SIGTERM while import writes ends it within a second: the writes in flight finish, no other
// starts, and it names exactly what it wrote, which is exactly what the table holds.
func TestSignalWhileWriting(t *testing.T) {
	tb := newTable(t, "uuid")
	f := &faults{delay: 10 * time.Millisecond}
	tb.endpoint = startFaults(t, tb.endpoint, f)
	const total = 2000 // 4 at a time, 10 ms each: 5 s
	file := writeFile(t, total)
	p, out := tb.startTool("-concurrency", "4", "import", file)
	took := signalWhen(t, p, out, syscall.SIGTERM, func() bool { return f.called("PutItem") >= 20 })
	m := regexp.MustCompile(`import: stopped after writing (\d+) of 2000 objects \((\d+) new, 0 replaced\): those on lines 2 to (\d+); (\d+) were not attempted: terminated signal received; importing .* again is safe`).FindStringSubmatch(out.String())
	if m == nil || p.Cmd.ProcessState.ExitCode() != 1 {
		t.Fatalf("exit %d, output %q; want exit 1 and an exact account", p.Cmd.ProcessState.ExitCode(), out)
	}
	n, _ := strconv.Atoi(m[1])
	last, _ := strconv.Atoi(m[3])
	skipped, _ := strconv.Atoi(m[4])
	if m[2] != m[1] || last != n+1 || skipped != total-n {
		t.Fatalf("the account does not add up: %s", m[0])
	}
	if took > time.Second {
		t.Errorf("the command took %s to end after SIGTERM", took)
	}
	got := tb.objects()
	want := firstIDs(t, file, n)
	if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
		t.Fatalf("the table holds %d objects; the account says the %d on lines 2 to %d", len(got), n, last)
	}
}

// firstIDs is the ids of a data file's first n objects, one a line from line 2.
func firstIDs(t *testing.T, file string, n int) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, line := range bytes.Split(data, []byte("\n"))[1 : n+1] {
		objs, _ := readAll(t, `{"objects":[`+strings.TrimSuffix(string(line), ",")+`]}`, false)
		ids[objs[0].UUID] = true
	}
	return ids
}
