package stackcheck

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/acme/objects-api/src/internal/testutil"
)

// service is the part of a compose service these checks read.
type service struct {
	Image       string            `yaml:"image"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
}

// composeFile is the part of a compose file these checks read.
type composeFile struct {
	Services map[string]service `yaml:"services"`
}

// loadCompose decodes a compose file (YAML anchors and merge keys resolved).
func loadCompose(t *testing.T, rel string) composeFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return c
}

// parseHCL parses one Terraform file.
func parseHCL(t *testing.T, rel string) hcl.Body {
	t.Helper()
	f, diags := hclparse.NewParser().ParseHCLFile(filepath.Join(testutil.RepoRoot(t), rel))
	if diags.HasErrors() {
		t.Fatalf("%s: %s", rel, diags.Error())
	}
	return f.Body
}

// blocks returns the top-level blocks of one type (with their labels) in a Terraform file.
func blocks(t *testing.T, rel, typ string, labels ...string) hcl.Blocks {
	t.Helper()
	content, _, diags := parseHCL(t, rel).PartialContent(&hcl.BodySchema{
		Blocks: []hcl.BlockHeaderSchema{{Type: typ, LabelNames: labels}},
	})
	if diags.HasErrors() {
		t.Fatalf("%s: %s", rel, diags.Error())
	}
	return content.Blocks
}

// attrs evaluates the named attributes of a block body (absent ones are left out), and returns
// the body's nested blocks of type nested.
func attrs(t *testing.T, body hcl.Body, ctx *hcl.EvalContext, names []string, nested string) (map[string]cty.Value, hcl.Blocks) {
	t.Helper()
	schema := &hcl.BodySchema{}
	for _, n := range names {
		schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: n})
	}
	if nested != "" {
		schema.Blocks = []hcl.BlockHeaderSchema{{Type: nested}}
	}
	content, _, diags := body.PartialContent(schema)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	vals := make(map[string]cty.Value)
	for name, a := range content.Attributes {
		v, diags := a.Expr.Value(ctx)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", name, diags.Error())
		}
		vals[name] = v
	}
	return vals, content.Blocks
}

// variables maps each `variable` block in a file to its default (cty.NilVal when it has none).
func variables(t *testing.T, rel string) map[string]cty.Value {
	t.Helper()
	out := make(map[string]cty.Value)
	for _, b := range blocks(t, rel, "variable", "name") {
		vals, _ := attrs(t, b.Body, nil, []string{"default"}, "")
		out[b.Labels[0]] = vals["default"]
	}
	return out
}

// varContext makes `var.NAME` resolve to the given string values.
func varContext(vars map[string]string) *hcl.EvalContext {
	obj := make(map[string]cty.Value, len(vars))
	for k, v := range vars {
		obj[k] = cty.StringVal(v)
	}
	return &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(obj)}}
}

// str is a cty string value as a Go string, or a fatal error naming what it is.
func str(t *testing.T, what string, v cty.Value) string {
	t.Helper()
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		t.Fatalf("%s: want a known string, got %#v", what, v)
	}
	return v.AsString()
}
