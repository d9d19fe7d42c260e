package openapi

import (
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

func TestDocumentIsValidOpenAPI31(t *testing.T) {
	doc, err := libopenapi.NewDocument(YAML())
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Fatalf("openapi version %q, want 3.1.0", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("document: %s: %s", e.Message, e.Reason)
		}
	}
}

func TestJSONMatchesYAML(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(JSON(), &doc); err != nil {
		t.Fatalf("JSON(): %v", err)
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, p := range []string{"/object/{uuid}", "/objects", "/healthz", "/readyz", "/metrics", "/docs", "/"} {
		if _, ok := paths[p]; !ok {
			t.Errorf("path %s missing from the JSON document", p)
		}
	}
}

func TestDocsAssetsEmbedded(t *testing.T) {
	for _, name := range []string{"index.html", "init.js", "swagger-ui-bundle.js", "swagger-ui.css"} {
		if b, err := fs.ReadFile(Docs(), name); err != nil || len(b) == 0 {
			t.Errorf("%s: %v (%d bytes)", name, err, len(b))
		}
	}
}
