package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// exchange is what a server wrote back on one connection to a raw request.
type exchange struct {
	first  *http.Response // nil when nothing parseable came back
	body   []byte         // the first response's body
	rest   []byte         // whatever followed the first response
	closed bool           // the server closed the connection (EOF before the deadline)
	took   time.Duration
}

// sendRaw writes req on a new connection to addr and reads until the server closes it or
// wait passes. The request is written while the answer is read: a server may answer (and
// close) before reading it all.
func sendRaw(t *testing.T, addr, method, req string, wait time.Duration) exchange {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_ = conn.SetDeadline(start.Add(wait))
	go func() { _, _ = io.WriteString(conn, req) }()
	all, err := io.ReadAll(conn)
	x := exchange{closed: err == nil || !errors.Is(err, os.ErrDeadlineExceeded), took: time.Since(start)}
	br := bufio.NewReader(bytes.NewReader(all))
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		x.rest = all
		return x
	}
	defer resp.Body.Close()
	x.first = resp
	x.body, _ = io.ReadAll(resp.Body)
	x.rest, _ = io.ReadAll(br)
	return x
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

// TestListFramingHeadAndHTTP10: GET and HEAD /objects, on a table of one Scan page and of many,
// by HTTP/1.1 and HTTP/1.0 clients, on raw connections. A HEAD sends the header and not one
// byte more (the pipelined GET /healthz behind it is answered right after it); an HTTP/1.0
// client never gets Transfer-Encoding (RFC 9112 §7.1): a multi-page list ends with the
// connection close instead.
func TestListFramingHeadAndHTTP10(t *testing.T) {
	const healthz = "GET /healthz HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n"
	for _, pageSize := range []int{0, 7} { // 0: one page for the whole table
		f := newFixture(t)
		f.store.PageSize = pageSize
		want := f.seed(t, 100)
		addr := f.listen(t)
		for _, tt := range []struct{ name, req string }{
			{"HEAD HTTP/1.1", "HEAD /objects HTTP/1.1\r\nHost: api\r\n\r\n" + healthz},
			{"HEAD HTTP/1.0", "HEAD /objects HTTP/1.0\r\n\r\n" + healthz},
			{"GET HTTP/1.0", "GET /objects HTTP/1.0\r\n\r\n" + healthz},
			{"GET HTTP/1.0 keep-alive", "GET /objects HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" + healthz},
		} {
			t.Run(fmt.Sprintf("%s, page size %d", tt.name, pageSize), func(t *testing.T) {
				method, _, _ := strings.Cut(tt.req, " ")
				x := sendRaw(t, addr, method, tt.req, 5*time.Second)
				if x.first == nil || x.first.StatusCode != 200 || !x.closed {
					t.Fatalf("want a 200 and the connection closed; got %v, closed %v, %q", x.first, x.closed, x.rest)
				}
				if x.first.ProtoAtLeast(1, 1) && strings.HasSuffix(tt.name, "HTTP/1.1") {
					if !strings.HasPrefix(string(x.rest), "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(string(x.rest), `{"status":"ok"}`) {
						t.Fatalf("after the HEAD's header: %q; want the pipelined GET /healthz's answer and nothing else", x.rest)
					}
					return
				}
				if len(x.first.TransferEncoding) > 0 {
					t.Fatalf("Transfer-Encoding %v to an HTTP/1.0 client", x.first.TransferEncoding)
				}
				if x.first.Header.Get("Content-Length") == "" && (!x.first.Close || len(x.rest) > 0) {
					t.Fatalf("no Content-Length, Close %v, then %q: the body must end with the connection", x.first.Close, x.rest)
				}
				if method == "HEAD" {
					if len(x.body) > 0 {
						t.Fatalf("HEAD sent %d body bytes", len(x.body))
					}
					return
				}
				var list struct{ Objects []struct{ UUID string } }
				if err := json.Unmarshal(x.body, &list); err != nil || len(list.Objects) != len(want) {
					t.Fatalf("body of %d bytes: %v, %d objects; want %d", len(x.body), err, len(list.Objects), len(want))
				}
			})
		}
	}
}
