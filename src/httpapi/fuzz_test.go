package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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

// serveRaw feeds req to the app's HTTP server on one connection, wrapped as http1.WrapListener
// wraps the connections main serves, and returns what the server wrote. A server that does not
// finish within 10s fails the test: nothing may hang it.
func serveRaw(t *testing.T, app *fiber.App, req []byte) []byte {
	t.Helper()
	conn := &testutil.PipeConn{R: bytes.NewReader(req)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = app.Server().ServeConn(wrapConn(t, conn))
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("the server did not finish with %q within 10s", testutil.Clip(req))
	}
	return conn.Out.Bytes()
}

// FuzzRoutes sends one request with a fuzzed method and target. Besides CheckAnswer: the API
// writes to DynamoDB only for PUT or DELETE of an id that is in the target, or DELETE of
// /objects; and PUT /object/{a version-4 UUID} always stores it.
func FuzzRoutes(f *testing.F) {
	app, w := fuzzAPI(f)
	f.Fuzz(func(t *testing.T, method, target string) {
		if method == "" || target == "" || strings.ContainsAny(method+target, " \r\n") {
			t.Skip("not one request line: http1's FuzzRawRequest covers framing")
		}
		w.reset()
		req := []byte(method + " " + target + " HTTP/1.1\r\nHost: api\r\n\r\n")
		resp, msg := testutil.CheckAnswer(t, req, serveRaw(t, app, req), method)
		if resp.Status == 0 {
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
			if (resp.Status != http.StatusOK && resp.Status != http.StatusCreated) || len(w.put) != 1 || w.put[0] != strings.ToLower(id) {
				t.Fatalf("PUT %q: %d %q, writes %v; want it stored", target, resp.Status, msg, w.put)
			}
		}
	})
}
