// Package testutil holds the helpers the test packages and the bench harness share: a
// DynamoDB-compatible test backend (dynalite) with tables and seed data, child processes, an
// in-memory store for the HTTP layer's tests, raw HTTP/1.1 exchanges, free ports, the
// repository root and a goroutine-safe buffer. The harness uses only the helpers that take no testing.TB.
package testutil

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// RepoRoot is the directory holding go.mod, found upwards from the test's working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// ReadFile is the repository's file rel (a path relative to the root), or fails the test.
func ReadFile(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(RepoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Root is RepoRoot for callers without a test (the bench harness).
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory; run from the repository")
		}
		dir = parent
	}
}

// SyncBuffer collects output written from many goroutines (a server's logs, a process's output).
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String is everything written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Lines is everything written so far, one element per line.
func (s *SyncBuffer) Lines() []string {
	return strings.Split(strings.TrimSpace(s.String()), "\n")
}
