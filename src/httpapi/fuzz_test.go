package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/acme/objects-api/src/internal/testutil"
)

// The fuzz targets' seed corpora are committed under testdata/fuzz/<target>/ and run as
// ordinary subtests in every `go test`; `make fuzz` (and CI) also fuzzes each target briefly.

// v4 is an independent statement of what parseID accepts: RFC 9562's version-4 layout in the
// canonical 8-4-4-4-12 form, any letter case.
var v4 = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`)

// FuzzParseID checks parseID against the regular expression above: it accepts exactly what the
// expression matches, returns it in lowercase (a fixed point), and rejects everything else with
// a 400 whose message is bounded and valid inside a JSON body.
func FuzzParseID(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw string) {
		id, err := parseID(raw)
		if v4.MatchString(raw) != (err == nil) {
			t.Fatalf("parseID(%q) = %q, %v; the reference says valid=%v", raw, id, err, v4.MatchString(raw))
		}
		if err == nil {
			if id != strings.ToLower(raw) {
				t.Fatalf("parseID(%q) = %q, want the lowercase form", raw, id)
			}
			if again, err := parseID(id); err != nil || again != id {
				t.Fatalf("parseID(parseID(%q)) = %q, %v", raw, again, err)
			}
			return
		}
		var ae *apiError
		if !errors.As(err, &ae) || ae.status != 400 || !strings.HasSuffix(ae.msg, validIDHint) {
			t.Fatalf("parseID(%q): %#v; want a 400 apiError ending with the hint", raw, err)
		}
		// invalidID quotes at most 64 bytes of the input, each as at most 4 characters (\xff).
		if limit := len(validIDHint) + 4*64 + 150; len(ae.msg) > limit {
			t.Fatalf("parseID(%q): a %d-byte message, over %d: it must not grow with the input", raw, len(ae.msg), limit)
		}
		if !json.Valid(errorBody(ae.msg)) {
			t.Fatalf("parseID(%q): the error body %q is not valid JSON", raw, errorBody(ae.msg))
		}
	})
}

// writes records the store writes the API makes.
type writes struct {
	mu       sync.Mutex
	put      []string
	deleted  []string
	clearAll int
}

func (w *writes) hook(_ context.Context, op, id string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch op {
	case "Put":
		w.put = append(w.put, id)
	case "Delete":
		w.deleted = append(w.deleted, id)
	case "DeleteAll":
		w.clearAll++
	}
	return nil
}

func (w *writes) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.put, w.deleted, w.clearAll = nil, nil, 0
}

// fuzzAPI is the API on an in-memory store, with its writes recorded.
func fuzzAPI(*testing.F) (*fiber.App, *writes) {
	w := &writes{}
	st := testutil.NewMemStore()
	st.Hook = w.hook
	app := NewServer(st, quietLogger())
	_ = app.Handler() // builds the router, as app.Listener and app.Test do before serving
	return app, w
}

// pipeConn is a client connection held in memory: reads come from the request bytes, then EOF;
// writes collect the response.
type pipeConn struct {
	r   io.Reader
	out bytes.Buffer
}

func (c *pipeConn) Read(p []byte) (int, error)       { return c.r.Read(p) }
func (c *pipeConn) Write(p []byte) (int, error)      { return c.out.Write(p) }
func (c *pipeConn) Close() error                     { return nil }
func (c *pipeConn) LocalAddr() net.Addr              { return loopback(8080) }
func (c *pipeConn) RemoteAddr() net.Addr             { return loopback(50000) }
func (c *pipeConn) SetDeadline(time.Time) error      { return nil }
func (c *pipeConn) SetReadDeadline(time.Time) error  { return nil }
func (c *pipeConn) SetWriteDeadline(time.Time) error { return nil }

func loopback(port int) net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port} }

// serveRaw feeds req to the app's HTTP server on one connection and returns what it wrote.
// A server that does not finish within 10s fails the test: nothing may hang it.
func serveRaw(t *testing.T, app *fiber.App, req []byte) []byte {
	t.Helper()
	conn := &pipeConn{r: bytes.NewReader(req)}
	// Served as WrapListener's connections are, so that their framer (framing_conn.go) is fuzzed.
	tc := &trackedConn{Conn: conn, l: wrapListener(nil, WriteStallTimeout)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = app.Server().ServeConn(tc)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("the server did not finish with %q within 10s", clipBytes(req))
	}
	return conn.out.Bytes()
}

// rawAnswer is the first response the server wrote.
type rawAnswer struct {
	status int
	header http.Header
	body   []byte
}

// firstResponse parses the first response in out; method is the request's (HEAD has no body).
func firstResponse(out []byte, method string) (rawAnswer, error) {
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out)), &http.Request{Method: method})
	if err != nil {
		return rawAnswer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return rawAnswer{resp.StatusCode, resp.Header, body}, err
}

// serverErrorLine matches a 5xx status line other than 501 and 505 (the answers to an HTTP
// version the API does not speak, RFC 9110 §15.6.6, and to a method or transfer coding the API
// does not implement, RFC 9110 §15.6.2).
var serverErrorLine = regexp.MustCompile(`(?m)^HTTP/1\.[01] 5(0[02-46-9]|[1-9]\d) `)

// checkAnswer is what every answer must satisfy: no 5xx but 501 and 505 (the backend is healthy), and
// an error status comes with a JSON body {"error": "..."}. It returns the first answer (status
// 0 when the server wrote nothing) and its error message.
func checkAnswer(t *testing.T, req []byte, out []byte, method string) (rawAnswer, string) {
	t.Helper()
	if loc := serverErrorLine.FindIndex(out); loc != nil {
		t.Fatalf("%q was answered %q", clipBytes(req), out[loc[0]:loc[1]])
	}
	if len(out) == 0 {
		return rawAnswer{}, ""
	}
	a, err := firstResponse(out, method)
	if err != nil {
		t.Fatalf("%q: unreadable response %q: %v", clipBytes(req), clipBytes(out), err)
	}
	msg := ""
	if a.status >= 400 && method != "HEAD" {
		var e map[string]string
		if ct := a.header.Get("Content-Type"); ct != "application/json" || json.Unmarshal(a.body, &e) != nil || len(e) != 1 || e["error"] == "" {
			t.Fatalf("%q: %d %q %q; want a JSON error body", clipBytes(req), a.status, ct, a.body)
		}
		msg = e["error"]
	}
	return a, msg
}

func clipBytes(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}

// FuzzRoutes sends one request with a fuzzed method and target. Besides checkAnswer: the API
// writes to DynamoDB only for PUT or DELETE of an id that is in the target, or DELETE of
// /objects; and PUT /object/{a version-4 UUID} always stores it.
func FuzzRoutes(f *testing.F) {
	app, w := fuzzAPI(f)
	f.Fuzz(func(t *testing.T, method, target string) {
		if method == "" || target == "" || strings.ContainsAny(method+target, " \r\n") {
			t.Skip("not one request line: FuzzRawRequest covers framing")
		}
		w.reset()
		req := []byte(method + " " + target + " HTTP/1.1\r\nHost: api\r\n\r\n")
		resp, msg := checkAnswer(t, req, serveRaw(t, app, req), method)
		if resp.status == 0 {
			t.Fatalf("no answer to %q", req)
		}
		lower := strings.ToLower(target)
		for _, id := range w.put {
			if method != "PUT" || !v4.MatchString(id) || id != strings.ToLower(id) || !strings.Contains(lower, id) {
				t.Fatalf("%s %q wrote object %q", method, target, id)
			}
		}
		for _, id := range w.deleted {
			if method != "DELETE" || !strings.Contains(lower, id) {
				t.Fatalf("%s %q deleted object %q", method, target, id)
			}
		}
		if w.clearAll > 0 && (method != "DELETE" || !strings.Contains(target, "/objects")) {
			t.Fatalf("%s %q deleted every object", method, target)
		}
		if id, ok := strings.CutPrefix(target, "/object/"); ok && method == "PUT" && v4.MatchString(id) {
			if (resp.status != http.StatusOK && resp.status != http.StatusCreated) || len(w.put) != 1 || w.put[0] != strings.ToLower(id) {
				t.Fatalf("PUT %q: %d %q, writes %v; want it stored", target, resp.status, msg, w.put)
			}
		}
	})
}

// FuzzRawRequest feeds arbitrary bytes to the server as one client connection: whatever
// arrives, the server finishes, never answers 5xx, and answers errors as JSON.
func FuzzRawRequest(f *testing.F) {
	app, _ := fuzzAPI(f)
	f.Fuzz(func(t *testing.T, req []byte) {
		// Servers skip empty lines before the request line (RFC 9112 §2.2), so the method is the
		// first word after them: a HEAD answer has no body to read.
		method, _, _ := bytes.Cut(bytes.TrimLeft(req, "\r\n"), []byte(" "))
		out := serveRaw(t, app, req)
		checkAnswer(t, req, out, string(method))
	})
}
