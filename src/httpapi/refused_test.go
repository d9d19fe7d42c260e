package httpapi

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/testutil"
)

// received is x's first response, read in full.
func received(t *testing.T, x testutil.Exchange) response {
	t.Helper()
	if x.First == nil {
		t.Fatalf("no response after %s: %q", x.Took, x.Rest)
	}
	return response{x.First.StatusCode, x.First.Header, string(x.Body)}
}

// TestRefusalsVisible: a request refused before routing is answered as every error is (JSON,
// X-Request-ID, nosniff), is counted in objects_api_http_requests_total under the route
// "refused" with its status (a method Fiber does not route: 501, not Fiber's plain-text 400),
// and is logged exactly once, at WARN, with its method and target
// clipped and quoted, or what arrived of a request line that was not parsed.
func TestRefusalsVisible(t *testing.T) {
	method8K := strings.Repeat("M", 8000)
	for _, tt := range []struct {
		name, req string
		status    int
		method    string            // the metric's method label
		logged    map[string]string // attributes of the log line, beside status, error and request_id
	}{
		{"Expect: 100-continue over the body limit",
			"PUT /object/x HTTP/1.1\r\nHost: api\r\nExpect: 100-continue\r\nContent-Length: 70000\r\n\r\n",
			413, "PUT", map[string]string{"method": `"PUT"`, "target": `"/object/x"`}},
		{"bare CR ending a header line", "GET /healthz HTTP/1.1\r\nHost: api\r\r\n",
			400, "unparsed", map[string]string{"unparsed_request_line": `"GET /healthz HTTP/1.1"`}},
		{"space in a header name", "GET /healthz HTTP/1.1\r\nHost: api\r\nX A: b\r\n\r\n",
			400, "GET", map[string]string{"method": `"GET"`, "target": `"/healthz"`}},
		{"Content-Length with Transfer-Encoding (smuggling probe)",
			"POST /objects HTTP/1.1\r\nHost: api\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX",
			400, "POST", map[string]string{"method": `"POST"`, "target": `"/objects"`}},
		{"headers never finished (slowloris)", "GET /healthz HTTP/1.1\r\nHost: api\r\nX-A: ",
			408, "unparsed", map[string]string{"unparsed_request_line": `"GET /healthz HTTP/1.1"`}},
		{"an escape sequence in the request line", "GET /healthz\x1b[2J HTTP/1.1\r\nHost: api\r\n\r\n",
			400, "unparsed", map[string]string{"unparsed_request_line": `"GET /healthz\x1b[2J HTTP/1.1"`}},
		{"8 KB method", method8K + " /objects HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n",
			501, "OTHER", map[string]string{"method": strconv.Quote(method8K[:64] + "..."), "target": `"/objects"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, logs, _ := observed(t)
			f.app.Server().ReadTimeout = time.Second // the slowloris' 408 comes after it
			x := testutil.SendRaw(t, f.listen(t), "", tt.req, 5*time.Second)
			r := received(t, x)
			wantJSONError(t, r, tt.status, "")
			wantNosniff(t, r.header)
			id := r.header.Get("X-Request-ID")
			if !uuidRE.MatchString(id) {
				t.Fatalf("X-Request-ID %q, want a generated UUID", id)
			}

			sample := fmt.Sprintf(`objects_api_http_requests_total{method=%q,route="refused",status="%d"} 1`, tt.method, tt.status)
			if metrics := f.do(t, "GET", "/metrics").body; !strings.Contains(metrics, sample+"\n") {
				t.Errorf("/metrics lacks %s; it has:\n%s", sample, grepLines(metrics, "objects_api_http_requests_total{"))
			}

			var warnings []string
			for _, line := range logs.Lines() {
				if !strings.Contains(line, `"level":"INFO"`) && !strings.Contains(line, `"level":"DEBUG"`) {
					warnings = append(warnings, line)
				}
			}
			if len(warnings) != 1 {
				t.Fatalf("%d log lines above INFO, want 1:\n%s", len(warnings), strings.Join(warnings, "\n"))
			}
			if len(warnings[0]) > 600 {
				t.Errorf("a %d-byte log line: %.300s...", len(warnings[0]), warnings[0])
			}
			var e map[string]any
			if err := json.Unmarshal([]byte(warnings[0]), &e); err != nil {
				t.Fatalf("log line %q: %v", warnings[0], err)
			}
			want := map[string]any{"level": "WARN", "msg": "request refused", "status": float64(tt.status), "request_id": id}
			for k, v := range tt.logged {
				want[k] = v
			}
			for k, v := range want {
				if e[k] != v {
					t.Errorf("log %s = %v, want %v", k, e[k], v)
				}
			}
			for _, k := range []string{"method", "target", "unparsed_request_line"} {
				if _, ok := tt.logged[k]; !ok && e[k] != nil {
					t.Errorf("log %s = %v, want none", k, e[k])
				}
			}
		})
	}
}

// grepLines is the lines of text that contain substr.
func grepLines(text, substr string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
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
