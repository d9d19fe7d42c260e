package httpapi

import (
	"regexp"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/testutil"
)

// TestUnknownMethods: a method Fiber does not route is answered 501 as JSON, like every other
// error, not with Fiber's plain-text 400 "Invalid http method".
func TestUnknownMethods(t *testing.T) {
	addr := newFixture(t).listen(t)
	for _, m := range []string{"FOO", "get", "PRI"} {
		x := testutil.SendRaw(t, addr, m, m+" /objects HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n", 5*time.Second)
		wantJSONError(t, received(t, x), 501, "not implemented")
	}
}

// received is x's first response, read in full.
func received(t *testing.T, x testutil.Exchange) response {
	t.Helper()
	if x.First == nil {
		t.Fatalf("no response after %s: %q", x.Took, x.Rest)
	}
	return response{x.First.StatusCode, x.First.Header, string(x.Body)}
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
