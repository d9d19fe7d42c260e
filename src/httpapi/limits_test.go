package httpapi

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// raw writes a request byte for byte on a new connection and reads one response. The request is
// written while the response is read: the server may answer (and close) before reading it all.
func raw(t *testing.T, addr, req string) response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(40 * time.Second)) // above ReadTimeout (30s): a hang fails
	go func() { _, _ = io.WriteString(conn, req) }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response to %.60q...: %v", req, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the response to %.60q...: %v", req, err)
	}
	wantNosniff(t, resp.Header)
	return response{resp.StatusCode, resp.Header, string(b)}
}

// TestLimits: a request over a limit is answered with the status RFC 9110 gives for that limit,
// as JSON, and writes nothing; a request just under it is served.
func TestLimits(t *testing.T) {
	f := newFixture(t)
	addr := f.listen(t)
	id := uuid.NewString()
	put := func(headers, body string) string {
		return "PUT /object/" + id + " HTTP/1.1\r\nHost: api\r\n" + headers + "\r\n" + body
	}
	bigBody := strings.Repeat("b", maxBodyBytes+1)
	tests := []struct {
		class, does, req string
		status           int
		substr           string
	}{
		{"Body over 64 KiB (Content-Length)", "PUT with a 64 KiB + 1 body",
			put(fmt.Sprintf("Content-Length: %d\r\n", len(bigBody)), bigBody), 413, "larger than 64 KiB"},
		{"Body over 64 KiB (chunked)", "PUT with a chunked 64 KiB + 1 body",
			put("Transfer-Encoding: chunked\r\n", fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(bigBody), bigBody)), 413, "larger than 64 KiB"},
		{"Headers over 8 KiB", "PUT with one 9 KiB header",
			put("X-Padding: "+strings.Repeat("h", 9<<10)+"\r\n", ""), 431, "request line and headers"},
		{"Many headers over 8 KiB", "PUT with 1200 short headers",
			put(strings.Repeat("X-A: b\r\n", 1200), ""), 431, "request line and headers"},
		{"URL over 8 KiB", "PUT /object/ followed by 9 KiB",
			"PUT /object/" + strings.Repeat("a", 9<<10) + " HTTP/1.1\r\nHost: api\r\n\r\n", 414, "request line"},
		{"URL of 1 MiB", "GET /objects?q= followed by 1 MiB",
			"GET /objects?q=" + strings.Repeat("a", 1<<20) + " HTTP/1.1\r\nHost: api\r\n\r\n", 414, "request line"},
	}
	for _, tt := range tests {
		t.Run(tt.class, func(t *testing.T) {
			r := raw(t, addr, tt.req)
			wantJSONError(t, r, tt.status, tt.substr)
			if r.header.Get("X-Request-ID") == "" {
				t.Errorf("%d answered without X-Request-ID", r.status)
			}
		})
	}
	if n := f.store.Len(); n != 0 {
		t.Fatalf("%d objects written by requests over a limit", n)
	}
	under := []struct{ class, req string }{
		{"Body of exactly 64 KiB", put(fmt.Sprintf("Content-Length: %d\r\n", maxBodyBytes), bigBody[:maxBodyBytes])},
		{"Headers of 7 KiB", put("X-Padding: "+strings.Repeat("h", 7<<10)+"\r\n", "")},
	}
	for _, u := range under {
		if r := raw(t, addr, u.req); r.status != 201 && r.status != 200 {
			t.Fatalf("%s: %d %s; want the PUT served", u.class, r.status, r.body)
		}
	}
	r := raw(t, addr, "GET /object/"+strings.Repeat("a", 7<<10)+" HTTP/1.1\r\nHost: api\r\n\r\n")
	wantJSONError(t, r, 400, "invalid object id")
}

// TestUnknownMethods: a method Fiber does not route is answered 501 as JSON, like every other
// error, not with Fiber's plain-text 400 "Invalid http method".
func TestUnknownMethods(t *testing.T) {
	f := newFixture(t)
	addr := f.listen(t)
	for _, m := range []string{"FOO", "get", "PRI"} {
		r := raw(t, addr, m+" /objects HTTP/1.1\r\nHost: api\r\n\r\n")
		wantJSONError(t, r, 501, "not implemented")
	}
}

// TestMalformedRequestsNotEchoed: requests fasthttp cannot parse get a JSON 400 that says what
// was wrong without quoting the request's bytes back.
func TestMalformedRequestsNotEchoed(t *testing.T) {
	f := newFixture(t)
	addr := f.listen(t)
	const secret = "Authorization: Bearer s3cr3t-t0ken"
	for _, tt := range []struct{ class, req string }{
		{"Request line without a method", "GARBAGE\r\n" + secret + "\r\n\r\n"},
		{"Header name with a space", "GET /healthz HTTP/1.1\r\nHost : api\r\n" + secret + "\r\n\r\n"},
		{"Content-Length not a number", "PUT /object/x HTTP/1.1\r\nHost: api\r\n" + secret + "\r\nContent-Length: abc\r\n\r\n"},
	} {
		r := raw(t, addr, tt.req)
		wantJSONError(t, r, 400, "")
		if strings.Contains(r.body, "s3cr3t") {
			t.Fatalf("%s: the 400 body quotes the request: %s", tt.class, r.body)
		}
	}
}

// TestUnknownQueryParameters: the API defines no query parameters and ignores unknown ones on
// every route: the same steps with and without them, on two tables, get the same answers.
func TestUnknownQueryParameters(t *testing.T) {
	with, without := newFixture(t), newFixture(t)
	const q = "?limit=1&force=true&uuid=x&%ff=%00"
	id := uuid.NewString()
	steps := []struct{ method, path string }{
		{"PUT", "/object/" + id},
		{"PUT", "/object/" + id},
		{"GET", "/object/" + id},
		{"GET", "/objects"},
		{"DELETE", "/object/" + id},
		{"GET", "/object/" + id},
		{"PUT", "/object/" + id},
		{"DELETE", "/objects"},
		{"GET", "/healthz"},
		{"GET", "/readyz"},
	}
	for _, s := range steps {
		a, b := with.do(t, s.method, s.path+q), without.do(t, s.method, s.path)
		if a.status != b.status || tsAttr.ReplaceAllString(a.body, "") != tsAttr.ReplaceAllString(b.body, "") {
			t.Fatalf("%s %s: %d %s with unknown parameters, %d %s without", s.method, s.path, a.status, a.body, b.status, b.body)
		}
	}
}

var tsAttr = regexp.MustCompile(`"ts":"[^"]*"`)
