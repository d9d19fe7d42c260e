package http1

import (
	"bytes"
	"testing"
	"time"

	"github.com/acme/objects-api/src/internal/testutil"
)

// The seed corpus is committed under testdata/fuzz/FuzzRawRequest and runs as ordinary subtests
// in every `go test`; `make fuzz` (and CI) also fuzzes the target briefly.

// FuzzRawRequest feeds arbitrary bytes to a Guard-ed server as one client connection of
// WrapListener's, so that the framer is fuzzed too: whatever arrives, the server finishes,
// never answers 5xx (but 501 and 505), and answers every error through refuse.
func FuzzRawRequest(f *testing.F) {
	s := newStub()
	f.Fuzz(func(t *testing.T, req []byte) {
		// Servers skip empty lines before the request line (RFC 9112 §2.2), so the method is the
		// first word after them: a HEAD answer has no body to read.
		method, _, _ := bytes.Cut(bytes.TrimLeft(req, "\r\n"), []byte(" "))
		conn := &testutil.PipeConn{R: bytes.NewReader(req)}
		wrapped, err := wrapListener(nil, writeStallTimeout).wrap(conn)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = s.srv.ServeConn(wrapped)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("the server did not finish with %q within 10s", testutil.Clip(req))
		}
		testutil.CheckAnswer(t, req, conn.Out.Bytes(), string(method))
	})
}
