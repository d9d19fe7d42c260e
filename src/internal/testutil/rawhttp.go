package testutil

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"testing"
	"time"
)

// Raw HTTP/1.1, for the wire tests of the transport (src/http1) and of the API: requests
// written byte for byte, on a socket or on a connection held in memory.

// Exchange is what a server wrote back on one connection to a raw request.
type Exchange struct {
	First  *http.Response // nil when nothing parseable came back; its body is read and closed
	Body   []byte         // the first response's body
	Rest   []byte         // whatever followed the first response
	Closed bool           // the server closed the connection (EOF before the deadline)
	Took   time.Duration
}

// SendRaw writes req on a new connection to addr and reads until the server closes it or
// wait passes. The request is written while the answer is read: a server may answer (and
// close) before reading it all. method is the request's (a HEAD's answer has no body).
func SendRaw(t testing.TB, addr, method, req string, wait time.Duration) Exchange {
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
	x := Exchange{Closed: err == nil || !errors.Is(err, os.ErrDeadlineExceeded), Took: time.Since(start)}
	br := bufio.NewReader(bytes.NewReader(all))
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		x.Rest = all
		return x
	}
	defer resp.Body.Close()
	x.First = resp
	x.Body, _ = io.ReadAll(resp.Body)
	x.Rest, _ = io.ReadAll(br)
	return x
}

// PipeConn is a client connection held in memory: reads come from R, then EOF; writes
// collect in Out.
type PipeConn struct {
	R   io.Reader
	Out bytes.Buffer
}

func (c *PipeConn) Read(p []byte) (int, error)       { return c.R.Read(p) }
func (c *PipeConn) Write(p []byte) (int, error)      { return c.Out.Write(p) }
func (c *PipeConn) Close() error                     { return nil }
func (c *PipeConn) LocalAddr() net.Addr              { return Loopback(8080) }
func (c *PipeConn) RemoteAddr() net.Addr             { return Loopback(50000) }
func (c *PipeConn) SetDeadline(time.Time) error      { return nil }
func (c *PipeConn) SetReadDeadline(time.Time) error  { return nil }
func (c *PipeConn) SetWriteDeadline(time.Time) error { return nil }

// Loopback is 127.0.0.1:port.
func Loopback(port int) net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port} }

// Answer is the first response a server wrote.
type Answer struct {
	Status int // 0 when the server wrote nothing
	Header http.Header
	Body   []byte
}

// serverErrorLine matches a 5xx status line other than 501 and 505 (the answers to an HTTP
// version the API does not speak, RFC 9110 §15.6.6, and to a method or transfer coding the API
// does not implement, RFC 9110 §15.6.2).
var serverErrorLine = regexp.MustCompile(`(?m)^HTTP/1\.[01] 5(0[02-46-9]|[1-9]\d) `)

// CheckAnswer is what every answer a server wrote (out) to a raw request (req) must satisfy:
// no 5xx but 501 and 505 (the backend is healthy), and an error status comes with a JSON body
// {"error": "..."}. It returns the first answer and its error message. method is the request's.
func CheckAnswer(t testing.TB, req, out []byte, method string) (Answer, string) {
	t.Helper()
	if loc := serverErrorLine.FindIndex(out); loc != nil {
		t.Fatalf("%q was answered %q", Clip(req), out[loc[0]:loc[1]])
	}
	if len(out) == 0 {
		return Answer{}, ""
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out)), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%q: unreadable response %q: %v", Clip(req), Clip(out), err)
	}
	defer resp.Body.Close()
	a := Answer{Status: resp.StatusCode, Header: resp.Header}
	if a.Body, err = io.ReadAll(resp.Body); err != nil {
		t.Fatalf("%q: reading the response %q: %v", Clip(req), Clip(out), err)
	}
	msg := ""
	if a.Status >= 400 && method != "HEAD" {
		var e map[string]string
		if ct := a.Header.Get("Content-Type"); ct != "application/json" || json.Unmarshal(a.Body, &e) != nil || len(e) != 1 || e["error"] == "" {
			t.Fatalf("%q: %d %q %q; want a JSON error body", Clip(req), a.Status, ct, a.Body)
		}
		msg = e["error"]
	}
	return a, msg
}

// Clip shortens bytes for a failure message.
func Clip(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}
