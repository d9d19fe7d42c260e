package http1

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
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

// TestExpectContinue: a request with Expect: 100-continue that will be refused for its head
// gets the final status at once, never 100 Continue first (RFC 9110 §10.1.1), so its client
// does not send the body; one within the limits gets 100 Continue and is served once its body
// has come.
func TestExpectContinue(t *testing.T) {
	addr := newStub().listen(t, writeStallTimeout)
	const head = "PUT /object/x HTTP/1.1\r\nHost: api\r\nExpect: 100-continue\r\n"
	for _, tt := range []struct {
		name, req string
		status    int
	}{
		{"Content-Length over the limit", head + fmt.Sprintf("Content-Length: %d\r\n\r\n", maxBodyBytes+1), 413},
		{"Content-Length with Transfer-Encoding", head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x := testutil.SendRaw(t, addr, "PUT", tt.req, 5*time.Second) // the body is never sent
			refusedAs(t, x, tt.status, "")
			if !x.Closed {
				t.Fatalf("connection still open after %s", x.Took)
			}
		})
	}
	t.Run("within the limits", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		br := bufio.NewReader(conn)
		if _, err := io.WriteString(conn, head+"Content-Length: 1\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		if line, err := br.ReadString('\n'); err != nil || line != "HTTP/1.1 100 Continue\r\n" {
			t.Fatalf("first line %q, %v; want 100 Continue", line, err)
		}
		if _, err := br.ReadString('\n'); err != nil { // the blank line ending the 100
			t.Fatal(err)
		}
		if _, err := io.WriteString(conn, "x"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("after the body: %v %v; want 200", resp, err)
		}
		resp.Body.Close()
	})
}

// TestHeadersNeverFinished: a client that never finishes its headers (slowloris) holds the
// connection for the read timeout only, then gets a 408 through refuse.
func TestHeadersNeverFinished(t *testing.T) {
	s := newStub()
	s.srv.ReadTimeout = 500 * time.Millisecond
	x := testutil.SendRaw(t, s.listen(t, writeStallTimeout), "GET", "GET / HTTP/1.1\r\nHost: api\r\nX-A: b", 5*time.Second)
	refusedAs(t, x, 408, "read timeout")
	if x.Took < s.srv.ReadTimeout || !x.Closed {
		t.Fatalf("answered after %s, closed %v; want after the read timeout (%s), then closed", x.Took, x.Closed, s.srv.ReadTimeout)
	}
}

// TestRefusalsSayWhatWasParsed: a refusal carries the request line's method and target while
// fasthttp holds them, and otherwise the start of the line as it arrived, or nothing when that
// is ambiguous: never the GET / fasthttp defaults to.
func TestRefusalsSayWhatWasParsed(t *testing.T) {
	s := newStub()
	s.srv.ReadTimeout = 500 * time.Millisecond
	addr := s.listen(t, writeStallTimeout)
	long := "GET /" + strings.Repeat("a", 9<<10) + " HTTP/1.1"
	for _, tt := range []struct {
		name, req, method, target, line string // "": nil
	}{
		{"no method", "GARBAGE\r\n\r\n", "", "", "GARBAGE"},
		{"request line over 8 KiB", long + "\r\n\r\n", "", "", long[:keptLineBytes]},
		{"headers over 8 KiB", "GET / HTTP/1.1\r\nX-A: " + strings.Repeat("a", 9<<10) + "\r\n\r\n", "", "", "GET / HTTP/1.1"},
		{"headers never finished", "GET / HTTP/1.1\r\nHost: api\r\n", "", "", "GET / HTTP/1.1"},
		{"bare CR ending the request line", "GET / HTTP/1.1\rHost: api\r", "", "", "GET / HTTP/1.1\rHost: api\r"},
		{"bare LF ending the request line", "GET / HTTP/1.1\nHost: api\r\n\r\n", "", "", "GET / HTTP/1.1"},
		{"after a request served", "GET / HTTP/1.1\r\nHost: api\r\n\r\nGARBAGE\r\n\r\n", "", "", "GARBAGE"},
		{"before a request", "GARBAGE\r\n\r\nGET / HTTP/1.1\r\nHost: api\r\n\r\n", "", "", ""},
		{"Content-Length over 64 KiB", fmt.Sprintf("PUT /a?b HTTP/1.1\r\nHost: api\r\nContent-Length: %d\r\n\r\n", maxBodyBytes+1), "PUT", "/a?b", ""},
		{"chunked body over 64 KiB", fmt.Sprintf("PUT /a HTTP/1.1\r\nHost: api\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", maxBodyBytes+1, strings.Repeat("b", maxBodyBytes+1)), "", "", "PUT /a HTTP/1.1"},
		{"broken chunk", "PUT /a HTTP/1.1\r\nHost: api\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "", "", "PUT /a HTTP/1.1"},
		{"Content-Length with Transfer-Encoding", "DELETE /a HTTP/1.1\r\nHost: api\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", "DELETE", "/a", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(s.refusals())
			testutil.SendRaw(t, addr, "", tt.req, 5*time.Second)
			got := s.refusals()[before:]
			if len(got) != 1 {
				t.Fatalf("%d refusals, want 1: %+v", len(got), got)
			}
			r := got[0]
			for _, f := range []struct {
				field string
				got   []byte
				want  string
			}{{"Method", r.Method, tt.method}, {"Target", r.Target, tt.target}, {"RequestLine", r.RequestLine, tt.line}} {
				if string(f.got) != f.want || (f.got == nil) != (f.want == "") {
					t.Errorf("%s %q (nil: %v), want %q", f.field, f.got, f.got == nil, f.want)
				}
			}
		})
	}
}

// TestRefusalReachesAClientStillSending: a client refused while it is still sending (a head or a
// body over the limit, followed by 16 MiB more) can send it all and then read the answer: the
// server shuts its write side after the answer and reads what follows for lingerTimeout rather
// than resetting the connection, which would fail the client's upload (curl: "send failure")
// before it read the answer.
func TestRefusalReachesAClientStillSending(t *testing.T) {
	addr := newStub().listen(t, writeStallTimeout)
	more := strings.Repeat("b", 16<<20)
	for _, tt := range []struct {
		class, head string
		status      int
	}{
		{"Body of 16 MiB", fmt.Sprintf("PUT /object/x HTTP/1.1\r\nHost: api\r\nContent-Length: %d\r\n\r\n", len(more)), 413},
		{"Headers of 16 MiB", "PUT /object/x HTTP/1.1\r\nHost: api\r\nX-Padding: ", 431},
	} {
		t.Run(tt.class, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := io.WriteString(conn, tt.head+more); err != nil {
				t.Fatalf("sending the request failed (the server reset the connection): %v", err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
}
