// Package openapi holds the Objects API's OpenAPI 3.1 document and the docs page that renders
// it, both embedded in the binary.
package openapi

import (
	"embed"
	"io/fs"

	"sigs.k8s.io/yaml"
)

//go:embed openapi.yaml
var yamlDoc []byte

//go:embed docs
var docsFS embed.FS

// YAML is the document as written.
func YAML() []byte { return yamlDoc }

// jsonDoc is the document converted once, at start-up.
var jsonDoc = mustJSON(yamlDoc)

// JSON is the document as JSON.
func JSON() []byte { return jsonDoc }

// Docs is the docs page (index.html) and Swagger UI's assets.
func Docs() fs.FS {
	sub, err := fs.Sub(docsFS, "docs")
	if err != nil {
		panic(err) // the embedded directory is always there
	}
	return sub
}

func mustJSON(y []byte) []byte {
	j, err := yaml.YAMLToJSON(y)
	if err != nil {
		panic("openapi.yaml is not valid YAML: " + err.Error())
	}
	return j
}
