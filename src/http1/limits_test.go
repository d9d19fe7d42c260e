package http1

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/acme/objects-api/src/internal/testutil"
)

// refusedAs checks that x is the stub's answer to a refusal: status, and a message containing
// substr.
func refusedAs(t *testing.T, x testutil.Exchange, status int, substr string) {
	t.Helper()
	if x.First == nil {
		t.Fatalf("no response after %s: %q", x.Took, x.Rest)
	}
	if x.First.StatusCode != status || x.First.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%d %q %s, want %d from refuse", x.First.StatusCode, x.First.Header.Get("Content-Type"), x.Body, status)
	}
	if !bytes.Contains(x.Body, []byte(substr)) {
		t.Fatalf("message %s does not contain %q", x.Body, substr)
	}
}

// TestLimits: a request over a limit is refused with the status RFC 9110 gives for that limit
// and never reaches the handler; a request just under it is served.
func TestLimits(t *testing.T) {
	s := newStub()
	addr := s.listen(t, writeStallTimeout)
	put := func(headers, body string) string {
		return "PUT /object/x HTTP/1.1\r\nHost: api\r\n" + headers + "\r\n" + body
	}
	bigBody := strings.Repeat("b", maxBodyBytes+1)
	tests := []struct {
		class, req string
		status     int
		substr     string
	}{
		{"Body over 64 KiB (Content-Length)",
			put(fmt.Sprintf("Content-Length: %d\r\n", len(bigBody)), bigBody), 413, "larger than 64 KiB"},
		{"Body over 64 KiB (chunked)",
			put("Transfer-Encoding: chunked\r\n", fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(bigBody), bigBody)), 413, "larger than 64 KiB"},
		{"Headers over 8 KiB", put("X-Padding: "+strings.Repeat("h", 9<<10)+"\r\n", ""), 431, "request line and headers"},
		{"Many headers over 8 KiB", put(strings.Repeat("X-A: b\r\n", 1200), ""), 431, "request line and headers"},
		{"URL over 8 KiB", "PUT /object/" + strings.Repeat("a", 9<<10) + " HTTP/1.1\r\nHost: api\r\n\r\n", 414, "request line"},
		{"URL of 1 MiB", "GET /objects?q=" + strings.Repeat("a", 1<<20) + " HTTP/1.1\r\nHost: api\r\n\r\n", 414, "request line"},
		{"Method over 8 KiB", strings.Repeat("M", 9<<10) + " /objects HTTP/1.1\r\nHost: api\r\n\r\n", 414, "request line"},
	}
	for _, tt := range tests {
		t.Run(tt.class, func(t *testing.T) {
			refusedAs(t, testutil.SendRaw(t, addr, "", tt.req, 40*time.Second), tt.status, tt.substr)
		})
	}
	if n := s.handled.Load(); n != 0 {
		t.Fatalf("the handler got %d requests over a limit", n)
	}
	for _, u := range []struct{ class, req string }{
		{"Body of exactly 64 KiB", put(fmt.Sprintf("Content-Length: %d\r\n", maxBodyBytes), bigBody[:maxBodyBytes])},
		{"Headers of 7 KiB", put("X-Padding: "+strings.Repeat("h", 7<<10)+"\r\n", "")},
		{"URL of 7 KiB", "GET /object/" + strings.Repeat("a", 7<<10) + " HTTP/1.1\r\nHost: api\r\n\r\n"},
	} {
		if x := testutil.SendRaw(t, addr, "", u.req+"", 2*time.Second); x.First == nil || x.First.StatusCode != 200 {
			t.Fatalf("%s: %v %s; want it served", u.class, x.First, x.Body)
		}
	}
}

// TestMalformedRequestsNotEchoed: requests fasthttp cannot parse are refused with a message
// that says what was wrong without quoting the request's bytes back.
func TestMalformedRequestsNotEchoed(t *testing.T) {
	addr := newStub().listen(t, writeStallTimeout)
	const secret = "Authorization: Bearer s3cr3t-t0ken"
	for _, tt := range []struct{ class, req string }{
		{"Request line without a method", "GARBAGE\r\n" + secret + "\r\n\r\n"},
		{"Header name with a space", "GET /healthz HTTP/1.1\r\nHost : api\r\n" + secret + "\r\n\r\n"},
		{"Content-Length not a number", "PUT /object/x HTTP/1.1\r\nHost: api\r\n" + secret + "\r\nContent-Length: abc\r\n\r\n"},
	} {
		x := testutil.SendRaw(t, addr, "", tt.req, 5*time.Second)
		refusedAs(t, x, 400, "malformed request")
		if bytes.Contains(x.Body, []byte("s3cr3t")) {
			t.Fatalf("%s: the message quotes the request: %s", tt.class, x.Body)
		}
	}
}
