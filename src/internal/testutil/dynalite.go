package testutil

// Tests get a real DynamoDB-compatible server over HTTP: the endpoint in DDB_TEST_ENDPOINT when
// set (e.g. DynamoDB Local from the compose stack), otherwise dynalite (npm, pinned in
// tools/dynalite/package-lock.json) started on a free loopback port.
//
// When the server cannot be had, tests skip with the reason, except under CI=true, where they
// fail: CI never turns a missing backend into a skip.

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Server is a dynalite process on 127.0.0.1.
type Server struct {
	bin  string
	args []string  // dynalite's own flags, after --host and --port
	out  io.Writer // its stdout and stderr
	Port int
	proc *Proc // nil when stopped
	mu   sync.Mutex
}

// Endpoint is the server's base URL, e.g. http://127.0.0.1:40123.
func (s *Server) Endpoint() string { return fmt.Sprintf("http://127.0.0.1:%d", s.Port) }

var (
	shared     *Server
	sharedErr  error
	sharedOnce sync.Once
)

// Endpoint returns the base URL of a DynamoDB-compatible server shared by the test binary:
// DDB_TEST_ENDPOINT, or one dynalite started on first use (stopped by Run).
func Endpoint(t testing.TB) string {
	t.Helper()
	if ep := os.Getenv("DDB_TEST_ENDPOINT"); ep != "" {
		return ep
	}
	sharedOnce.Do(func() { shared, sharedErr = StartDynalite(os.Stderr) })
	if sharedErr != nil {
		unavailable(t, sharedErr)
	}
	return shared.Endpoint()
}

// OwnDynalite starts a dynalite that only this test uses, so it may stop and restart it (fault tests).
// Such tests need a backend they own: with DDB_TEST_ENDPOINT set they still start dynalite.
func OwnDynalite(t testing.TB) *Server {
	t.Helper()
	s, err := StartDynalite(os.Stderr)
	if err != nil {
		if os.Getenv("DDB_TEST_ENDPOINT") != "" {
			err = fmt.Errorf("this test stops and restarts its own backend, so it needs dynalite even with DDB_TEST_ENDPOINT set: %w", err)
		}
		unavailable(t, err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Run runs the tests, then stops the shared dynalite: use it as TestMain's body.
func Run(m *testing.M) int {
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	return code
}

func unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("no DynamoDB-compatible test backend (CI=true makes this a failure): %v", err)
	}
	t.Skipf("no DynamoDB-compatible test backend: %v (run `make deps`, or set DDB_TEST_ENDPOINT)", err)
}

// StartDynalite starts a fresh in-memory dynalite on a free loopback port, with args added to
// its command line and its output going to out; Stop ends it.
func StartDynalite(out io.Writer, args ...string) (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	port, err := PickPort()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin, args: args, out: out, Port: port}
	return s, s.Start()
}

// Start (re)starts the process on the same port and waits until it answers HTTP.
// Its in-memory data starts empty.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmd := exec.Command(s.bin, append([]string{"--host", "127.0.0.1", "--port", fmt.Sprint(s.Port)}, s.args...)...)
	cmd.Stdout, cmd.Stderr = s.out, s.out
	p, err := StartProc(cmd)
	if err != nil {
		return fmt.Errorf("start %s: %w", s.bin, err)
	}
	if err := p.WaitHTTP(context.Background(), s.Endpoint(), 0, 15*time.Second); err != nil {
		p.Stop(0)
		return fmt.Errorf("dynalite: %w", err)
	}
	s.proc = p
	return nil
}

// Stop kills the process (it holds nothing on disk) and waits for its exit. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return
	}
	s.proc.Stop(0) // returns once the process has exited: its port is free for a restart
	s.proc = nil
}

// findBin is $DYNALITE_BIN, or tools/dynalite/node_modules/.bin/dynalite in the module.
func findBin() (string, error) {
	b := os.Getenv("DYNALITE_BIN")
	if b == "" {
		root, err := Root()
		if err != nil {
			return "", err
		}
		b = filepath.Join(root, "tools", "dynalite", "node_modules", ".bin", "dynalite")
	}
	if _, err := os.Stat(b); err != nil {
		return "", fmt.Errorf("dynalite is not installed (run `make deps`): %w", err)
	}
	return b, nil
}

// FreePort is a TCP port free on 127.0.0.1 a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	p, err := PickPort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// PickPort is FreePort for callers without a test.
func PickPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ctx is a short context for harness calls.
func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}
