package http1

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/acme/objects-api/src/internal/testutil"
)

const (
	putLine = "PUT /object/7a1c1d5e-6f7b-4c8d-9e0f-123456789abc HTTP/1.1\r\nHost: api\r\n"
	// next is a second request sent on the same connection: it must never be answered.
	next = "GET /healthz HTTP/1.1\r\nHost: api\r\n\r\n"
	// secret is a token in a malformed request that no answer may quote.
	secret = "s3cr3t"
)

var framingCases = []struct {
	name, req string
	status    int
}{
	{"differing duplicate Content-Length", putLine + "Content-Length: 1\r\nContent-Length: 40\r\n\r\nx" + next, 400},
	{"Transfer-Encoding gzip", putLine + "Transfer-Encoding: gzip\r\n\r\n" + next, 501},
	{"Transfer-Encoding gzip, chunked", putLine + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + next, 501},
	{"Transfer-Encoding chunked, identity", putLine + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + next, 501},
	{"Transfer-Encoding chunked, chunked", putLine + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n" + next, 501},
	{"Transfer-Encoding identity", putLine + "Transfer-Encoding: identity\r\n\r\n" + next, 501},
	{"Transfer-Encoding with NUL", putLine + "Transfer-Encoding: chunked\x00" + secret + "\r\n\r\n0\r\n\r\n" + next, 400},
	{"two Transfer-Encoding headers", putLine + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + next, 501},
	{"Content-Length with Transfer-Encoding", putLine + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + next, 400},
	{"bare LF in a chunk extension", putLine + "Transfer-Encoding: chunked\r\n\r\n1;a\nx\r\nx\r\n0\r\n\r\n" + next, 400},
	{"chunk size 0x2", putLine + "Transfer-Encoding: chunked\r\n\r\n0x2\r\nxx\r\n0\r\n\r\n" + next, 400},
	{"bare CR in a header value", putLine + "X-A: a\rb" + secret + "\r\n\r\n" + next, 400},
	{"bare CR ending a header line, nothing after", putLine + "X-A: " + secret + "\r\r\n", 400},
	{"bare CR line endings, nothing after", "GET /healthz HTTP/1.1\rHost: api\rX-A: " + secret + "\r\r", 400},
	{"space in a header name", putLine + "X A: " + secret + "\r\n\r\n" + next, 400},
	{"space before the colon", putLine + "X-A : " + secret + "\r\n\r\n" + next, 400},
	{"delimiter in a header name", putLine + "X(A): " + secret + "\r\n\r\n" + next, 400},
	{"NUL in a header name", putLine + "X-\x00" + secret + ": a\r\n\r\n" + next, 400},
	{"control byte in a header name", putLine + "X-\x01" + secret + ": a\r\n\r\n" + next, 400},
	{"NUL in a header value", putLine + "X-A: a\x00" + secret + "\r\n\r\n" + next, 400},
	{"control byte in a header value", putLine + "X-A: a\x01" + secret + "\r\n\r\n" + next, 400},
	{"NUL in the request target", "GET /healthz\x00" + secret + " HTTP/1.1\r\nHost: api\r\n\r\n" + next, 400},
	{"control byte in the request target", "GET /healthz\x01" + secret + " HTTP/1.1\r\nHost: api\r\n\r\n" + next, 400},
	{"missing Host", "GET /healthz HTTP/1.1\r\n\r\n" + next, 400},
	{"two Host headers", "GET /healthz HTTP/1.1\r\nHost: api\r\nHost: other\r\n\r\n" + next, 400},
	{"version HTTP/2.0", "GET /healthz HTTP/2.0\r\nHost: api\r\n\r\n" + next, 505},
	{"version HTTP/0.9", "GET /healthz HTTP/0.9\r\nHost: api\r\n\r\n" + next, 505},
	{"version XYZ", "GET /healthz XYZ\r\nHost: api\r\n\r\n" + next, 400},
	{"last header line without a colon", "GET /healthz HTTP/1.1\r\nHost: api\r\nAuthorization Bearer " + secret + "\r\n\r\n" + next, 400},
	{"first header line without a colon", "GET /healthz HTTP/1.1\r\nAuthorization Bearer " + secret + "\r\nHost: api\r\n\r\n" + next, 400},
	{"bare LF line endings", "GET /healthz HTTP/1.1\nHost: api\nX-A: " + secret + "\n\n" + next, 400},
	{"bare LF line endings, nothing after", "GET /healthz HTTP/1.1\nHost: api\n\n", 400},
	{"bare LF ending the head, nothing after", "GET /healthz HTTP/1.1\r\nHost: api\r\n\n", 400},
	{"bare LF ending the request line", "GET /healthz HTTP/1.1\nHost: api\r\n\r\n" + next, 400},
	{"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + next, 400},
	{"request line without a method", "GARBAGE\r\nX-A: " + secret + "\r\n\r\n" + next, 400},
	{"Expect other than 100-continue", putLine + "Expect: foo\r\nContent-Length: 0\r\n\r\n" + next, 417},
	{"Expect of two, one unknown, no 100-continue", putLine + "Expect: bar, foo\r\nContent-Length: 0\r\n\r\n" + next, 417},
	{"Content-Length not a number", putLine + "X-A: " + secret + "\r\nContent-Length: abc\r\n\r\n" + next, 400},
}

// TestFraming: every request whose framing RFC 9112 forbids or leaves ambiguous, or that cannot be
// parsed at all, is refused through refuse (the stub's JSON error) with a message that quotes nothing it carried, and the
// connection is closed: nothing after it is read as a request. The close comes within 5 s, so
// nothing waits for ReadTimeout (30 s), as fasthttp v1.51 did on a last header line without a
// colon (then 408), v1.78 on bare-LF line endings and v1.79 on bare-CR ones. net/http's answer
// to the same bytes is shown beside ours.
func TestFraming(t *testing.T) {
	addr := newStub().listen(t, writeStallTimeout)
	for _, tt := range framingCases {
		t.Run(tt.name, func(t *testing.T) {
			method, _, _ := strings.Cut(tt.req, " ")
			x := testutil.SendRaw(t, addr, method, tt.req, 5*time.Second)
			std := netHTTPAnswer(t, method, tt.req)
			if x.First == nil {
				t.Fatalf("no response after %s (net/http: %d); got %q", x.Took, std, x.Rest)
			}
			t.Logf("ours %d %s in %s; net/http %d", x.First.StatusCode, x.Body, x.Took.Round(time.Millisecond), std)
			if x.First.StatusCode != tt.status {
				t.Errorf("status %d, want %d (net/http: %d)", x.First.StatusCode, tt.status, std)
			}
			var e map[string]string
			if ct := x.First.Header.Get("Content-Type"); ct != "application/json" || json.Unmarshal(x.Body, &e) != nil || len(e) != 1 || e["error"] == "" {
				t.Errorf("%q %s: want the JSON {\"error\": ...} of refuse", ct, x.Body)
			}
			if strings.Contains(string(x.Body), secret) {
				t.Errorf("the message quotes the request: %s", x.Body)
			}
			if !x.Closed {
				t.Errorf("connection still open after %s", x.Took)
			}
			if len(x.Rest) > 0 {
				t.Errorf("more after the first response: %q", x.Rest)
			}
		})
	}
}

// TestFramingAccepted: well-formed requests near the shapes above are still served, as net/http
// serves them: the refusals are no wider than RFC 9112 asks.
func TestFramingAccepted(t *testing.T) {
	addr := newStub().listen(t, writeStallTimeout)
	for _, tt := range []struct{ name, req string }{
		{"blank lines in a Content-Length body", putLine + "Content-Length: 5\r\n\r\na\n\n\nb"},
		{"blank lines in a chunked body", putLine + "Transfer-Encoding: chunked\r\n\r\n5\r\na\n\n\nb\r\n2;x=y\r\n\n\n\r\n0\r\nX-T: a\r\n\r\n"},
		{"chunked body", putLine + "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n"},
		{"Chunked, with OWS", putLine + "Transfer-Encoding:\tChunked \r\n\r\n1\r\nx\r\n0\r\n\r\n"},
		{"chunk extension", putLine + "Transfer-Encoding: chunked\r\n\r\n1;a=\"b\"\r\nx\r\n0\r\n\r\n"},
		{"Content-Length body", putLine + "Content-Length: 1\r\n\r\nx"},
		{"Expect empty", putLine + "Expect: \r\nContent-Length: 1\r\n\r\nx"},
		{"Expect of 100-continue among others, any case", putLine + "Expect: foo, 100-Continue\r\nContent-Length: 1\r\n\r\nx"},
		{"HTTP/1.0 without Host", "GET /healthz HTTP/1.0\r\n\r\n"},
		{"HTTP/1.2, served as HTTP/1.1", "GET /healthz HTTP/1.2\r\nHost: api\r\n\r\n"},
		{"obs-fold (RFC 9112 §5.2: replaced by SP)", "GET /healthz HTTP/1.1\r\nHost: api\r\nX-A: a\r\n b\r\n\r\n"},
		{"every token character in a header name", "GET /healthz HTTP/1.1\r\nHost: api\r\n!#$%&'*+-.^_`|~09AZaz: a\r\n\r\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			method, _, _ := strings.Cut(tt.req, " ")
			x := testutil.SendRaw(t, addr, method, tt.req+"GET /healthz HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n", 5*time.Second)
			std := netHTTPAnswer(t, method, tt.req)
			if x.First == nil || x.First.StatusCode >= 300 || std >= 300 {
				t.Fatalf("ours %v %s, net/http %d; want both served", x.First, x.Body, std)
			}
			if !x.First.Close && !strings.HasPrefix(string(x.Rest), "HTTP/1.1 200 OK\r\n") {
				t.Fatalf("the pipelined GET /healthz after it got %q", x.Rest)
			}
		})
	}
}

// netHTTPAnswer is net/http's status for the same bytes (0: no response), served by a handler
// that reads the body and answers 400 if it cannot, else 200: what Go's own server makes of
// them, shown beside ours.
func netHTTPAnswer(t *testing.T, method, req string) int {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	go func() { _, _ = io.WriteString(conn, req) }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		return 0
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}
