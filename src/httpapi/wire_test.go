package httpapi

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
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
