package httpapi

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/acme/objects-api/src/openapi"
)

// TestDocumentMatchesRouteTable holds the OpenAPI document to routeTable: the same operations
// (method and path), each with the table's summary.
func TestDocumentMatchesRouteTable(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := yaml.Unmarshal(openapi.YAML(), &doc); err != nil {
		t.Fatal(err)
	}
	inDoc := map[string]string{} // "GET /objects" -> summary
	for path, item := range doc.Paths {
		for method, op := range item {
			if method == "parameters" {
				continue
			}
			summary, _ := op.(map[string]any)["summary"].(string)
			inDoc[strings.ToUpper(method)+" "+path] = summary
		}
	}
	inTable := map[string]string{}
	for _, r := range routeTable {
		inTable[r.method+" "+docPath(r.path)] = r.summary
	}
	for op, summary := range inTable {
		got, ok := inDoc[op]
		switch {
		case !ok:
			t.Errorf("%s is routed but not in the OpenAPI document", op)
		case got != summary:
			t.Errorf("%s: the document's summary is %q, the route table's %q", op, got, summary)
		}
	}
	for op := range inDoc {
		if _, ok := inTable[op]; !ok {
			t.Errorf("%s is in the OpenAPI document but not routed", op)
		}
	}
	if t.Failed() {
		t.Logf("routed: %v", slices.Sorted(maps.Keys(inTable)))
	}
}

func TestRouteMessages(t *testing.T) {
	f := newFixture(t)
	wantJSONError(t, f.do(t, "GET", "/nope"), 404,
		"no route GET /nope; the routes are GET /, PUT|GET|DELETE /object/{uuid}, GET|DELETE /objects, GET /healthz")
	// A path is repeated at most 64 bytes long: the message never carries the whole request line.
	long := "/" + strings.Repeat("a", 7000)
	if r := f.do(t, "POST", "/object"+long); r.status != 405 || len(r.body) > 400 || !strings.Contains(r.body, "/object/"+strings.Repeat("a", 56)+"...") {
		t.Errorf("POST of a 7 KB path: %d, %d bytes: %.200s; want a 405 naming the path clipped", r.status, len(r.body), r.body)
	}
	if got, want := implementedMethods(), "GET, HEAD, PUT and DELETE"; got != want {
		t.Errorf("implementedMethods() = %q, want %q", got, want)
	}
}
