package httpapi

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/store"
)

var tsRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$`)

// TestFlow is the README's curl flow, exactly as a user runs it.
func TestFlow(t *testing.T) {
	f := newFixture(t)
	id := uuid.NewString()

	r := f.do(t, "PUT", "/object/"+id)
	if r.status != 201 || r.body != `{"object":"`+id+`"}` {
		t.Fatalf("PUT new: %d %s; want 201 {\"object\":\"%s\"}", r.status, r.body, id)
	}
	if r = f.do(t, "PUT", "/object/"+id); r.status != 200 || r.body != `{"object":"`+id+`"}` {
		t.Fatalf("PUT existing: %d %s; want 200", r.status, r.body)
	}

	r = f.do(t, "GET", "/object/"+id)
	var got struct {
		Object struct{ UUID, TS string } `json:"object"`
	}
	if err := json.Unmarshal([]byte(r.body), &got); r.status != 200 || err != nil {
		t.Fatalf("GET: %d %s (%v)", r.status, r.body, err)
	}
	if got.Object.UUID != id || !tsRE.MatchString(got.Object.TS) {
		t.Fatalf("GET: %s; want uuid %s and ts like 2022-08-25T12:06:56.563581", r.body, id)
	}

	r = f.do(t, "GET", "/objects")
	if r.status != 200 || r.body != `{"objects":[{"uuid":"`+id+`","ts":"`+got.Object.TS+`"}]}` {
		t.Fatalf("GET /objects: %d %s", r.status, r.body)
	}

	if r = f.do(t, "DELETE", "/object/"+id); r.status != 204 || r.body != "" {
		t.Fatalf("DELETE: %d %q; want 204 and no body", r.status, r.body)
	}
	wantJSONError(t, f.do(t, "GET", "/object/"+id), 404, id+" not found")
	wantJSONError(t, f.do(t, "DELETE", "/object/"+id), 404, "not found")

	for i := 0; i < 3; i++ {
		f.do(t, "PUT", "/object/"+uuid.NewString())
	}
	if r = f.do(t, "DELETE", "/objects"); r.status != 200 || r.body != `{"msg":"Objects deleted","deleted":3}` {
		t.Fatalf("DELETE /objects: %d %s", r.status, r.body)
	}
	if r = f.do(t, "GET", "/objects"); r.body != `{"objects":[]}` {
		t.Fatalf("GET /objects after delete: %s", r.body)
	}
}

func TestIDIsCaseInsensitiveAndStoredLowercase(t *testing.T) {
	f := newFixture(t)
	id := uuid.NewString()
	upper := strings.ToUpper(id)
	if r := f.do(t, "PUT", "/object/"+upper); r.status != 201 || r.body != `{"object":"`+id+`"}` {
		t.Fatalf("PUT upper: %d %s; want 201 with the lowercase id", r.status, r.body)
	}
	if r := f.do(t, "PUT", "/object/"+id); r.status != 200 {
		t.Fatalf("PUT lower after upper: %d; want 200 (same object)", r.status)
	}
	if r := f.do(t, "GET", "/object/"+upper); r.status != 200 || !strings.Contains(r.body, `"uuid":"`+id+`"`) {
		t.Fatalf("GET upper: %d %s", r.status, r.body)
	}
}

// TestMalformedIDs: every malformed class is rejected with a JSON 400 (or 404 where the path
// is not an object route at all) and nothing is written.
func TestMalformedIDs(t *testing.T) {
	f := newFixture(t)
	v4 := "3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f"
	bad400 := map[string]string{
		"too short":          "abc",
		"empty-ish":          "-",
		"version 1":          "3f2b8c9e-4d1a-1e6b-9c2d-7a8b9c0d1e2f",
		"version 7":          "3f2b8c9e-4d1a-7e6b-9c2d-7a8b9c0d1e2f",
		"nil UUID":           "00000000-0000-0000-0000-000000000000",
		"max UUID":           "ffffffff-ffff-ffff-ffff-ffffffffffff",
		"variant 0xxx":       "3f2b8c9e-4d1a-4e6b-7c2d-7a8b9c0d1e2f",
		"variant 110x":       "3f2b8c9e-4d1a-4e6b-cc2d-7a8b9c0d1e2f",
		"braces":             "{" + v4 + "}",
		"urn":                "urn:uuid:" + v4,
		"no hyphens":         strings.ReplaceAll(v4, "-", ""),
		"hyphens misplaced":  "3f2b8c9e4-d1a-4e6b-9c2d-7a8b9c0d1e2f",
		"non-hex":            "3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2g",
		"37 characters":      v4 + "0",
		"35 characters":      v4[:35],
		"percent-encoded":    "3f2b8c9e%2D4d1a-4e6b-9c2d-7a8b9c0d1e2f",
		"double-encoded":     "3f2b8c9e%252D4d1a-4e6b-9c2d-7a8b9c0d1e2",
		"dot-dot":            "..",
		"spaces":             "%20" + v4,
		"very long":          strings.Repeat("a", 4000),
		"non-UTF-8":          "%ff%fe" + v4[2:],
		"unicode digits":     "３f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2",
		"trailing NUL":       v4[:35] + "%00",
		"surrounding spaces": "+" + v4[1:],
	}
	for name, id := range bad400 {
		t.Run(name, func(t *testing.T) {
			for _, m := range []string{"PUT", "GET", "DELETE"} {
				wantJSONError(t, f.do(t, m, "/object/"+id), 400, "version-4 UUID")
			}
		})
	}
	bad404 := map[string]string{
		"trailing slash": "/object/" + v4 + "/",
		"empty id":       "/object/",
		"double slash":   "/object//" + v4,
		"extra segment":  "/object/" + v4 + "/x",
		"path traversal": "/object/../objects",
		"wrong case":     "/OBJECT/" + v4,
	}
	for name, target := range bad404 {
		t.Run(name, func(t *testing.T) {
			r := f.do(t, "PUT", target)
			if r.status != 404 && r.status != 400 {
				t.Fatalf("PUT %s: %d %s; want 400 or 404", target, r.status, r.body)
			}
			wantJSONError(t, r, r.status, "")
		})
	}
	if n := f.store.Len(); n != 0 {
		t.Fatalf("%d items written by malformed requests", n)
	}
}

func TestUnknownRouteAndMethod(t *testing.T) {
	f := newFixture(t)
	wantJSONError(t, f.do(t, "GET", "/objects/"), 404, "no route")
	tests := []struct{ method, target, allow string }{
		{"POST", "/objects", "GET, HEAD, DELETE"},
		{"PUT", "/objects", "GET, HEAD, DELETE"},
		{"POST", "/object/" + uuid.NewString(), "GET, HEAD, PUT, DELETE"},
		{"DELETE", "/healthz", "GET, HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			r := f.do(t, tt.method, tt.target)
			wantJSONError(t, r, 405, "not allowed")
			if got := r.header.Get("Allow"); got != tt.allow {
				t.Fatalf("Allow %q, want %q", got, tt.allow)
			}
		})
	}
}

func TestHealthAndReady(t *testing.T) {
	f := newFixture(t)
	if r := f.do(t, "GET", "/healthz"); r.status != 200 || r.body != `{"status":"ok"}` {
		t.Fatalf("healthz: %d %s", r.status, r.body)
	}
	if r := f.do(t, "GET", "/readyz"); r.status != 200 || r.body != `{"status":"ready"}` {
		t.Fatalf("readyz: %d %s", r.status, r.body)
	}
	missing := &store.Error{Kind: store.Unavailable, Op: "DescribeTable", Msg: "the service's DynamoDB table does not exist"}
	g, _, _ := observed(t)
	g.store.Hook = func(context.Context, string, string) error { return missing }
	for _, r := range []struct{ method, target string }{
		{"GET", "/readyz"}, {"PUT", "/object/" + uuid.NewString()}, {"GET", "/objects"}, {"DELETE", "/objects"},
	} {
		resp := g.do(t, r.method, r.target)
		wantJSONError(t, resp, 503, "table does not exist")
		if resp.header.Get("Retry-After") == "" {
			t.Fatalf("%s %s: 503 without Retry-After", r.method, r.target)
		}
	}
	// The backend's failures are counted, and readiness is a gauge.
	body := g.do(t, "GET", "/metrics").body
	for _, want := range []string{`objects_api_http_requests_total{method="PUT",route="/object/:id",status="503"} 1`, `objects_api_ready 0`} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
