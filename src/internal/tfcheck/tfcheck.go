// Package tfcheck reads the Terraform modules under terraform/ with hashicorp/hcl/v2, so that
// tests can check them where `terraform init` cannot run (no provider download). Its own tests
// check every root module and the table module; src/store's IAM test uses Load and Policy.
package tfcheck

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/acme/objects-api/src/internal/testutil"
)

// Module is the top-level blocks of every .tf file in one directory.
type Module struct {
	Dir    string
	Blocks []*hclsyntax.Block
	src    map[string][]byte // file name -> contents, for Text
}

// Load parses every .tf file in dir (relative to the repository root).
func Load(t testing.TB, dir string) *Module {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testutil.RepoRoot(t), dir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("%s: no .tf files (%v)", dir, err)
	}
	m := &Module{Dir: dir, src: make(map[string][]byte)}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, diags := hclsyntax.ParseConfig(b, name, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", dir, diags.Error())
		}
		m.src[name] = b
		m.Blocks = append(m.Blocks, f.Body.(*hclsyntax.Body).Blocks...)
	}
	return m
}

// Block returns the top-level block of type typ with exactly these labels, or nil.
func (m *Module) Block(typ string, labels ...string) *hclsyntax.Block {
	for _, b := range m.Blocks {
		if b.Type == typ && slices.Equal(b.Labels, labels) {
			return b
		}
	}
	return nil
}

// Must is Block, failing the test when there is no such block.
func (m *Module) Must(t testing.TB, typ string, labels ...string) *hclsyntax.Block {
	t.Helper()
	b := m.Block(typ, labels...)
	if b == nil {
		t.Fatalf("%s: no %s %q", m.Dir, typ, labels)
	}
	return b
}

// Nested returns the blocks of type typ directly inside b.
func Nested(b *hclsyntax.Block, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, n := range b.Body.Blocks {
		if n.Type == typ {
			out = append(out, n)
		}
	}
	return out
}

// Text is an expression as written: a literal string's value, otherwise its source text
// (`module.table.dynamodb_table_arn`, `"${aws_x.y.arn}:*"`); "" for no expression.
func (m *Module) Text(e hclsyntax.Expression) string {
	if e == nil {
		return ""
	}
	if v, diags := e.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
		return v.AsString()
	}
	r := e.Range()
	return string(r.SliceBytes(m.src[r.Filename]))
}

// Attr returns the text (see Text) of attribute name in b, and whether b sets it.
func (m *Module) Attr(b *hclsyntax.Block, name string) (string, bool) {
	a, ok := b.Body.Attributes[name]
	if !ok {
		return "", false
	}
	return m.Text(a.Expr), true
}

// List returns the texts of the items of list attribute name in b (nil when unset).
func (m *Module) List(t testing.TB, b *hclsyntax.Block, name string) []string {
	t.Helper()
	a, ok := b.Body.Attributes[name]
	if !ok {
		return nil
	}
	items, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() {
		t.Fatalf("%s: %s: want a list literal: %s", m.Dir, name, diags.Error())
	}
	out := make([]string, len(items))
	for i, e := range items {
		out[i] = m.Text(e.(hclsyntax.Expression))
	}
	return out
}

// Statement is one statement of an aws_iam_policy_document.
type Statement struct {
	Effect    string // "" means Allow, the provider's default
	Actions   []string
	Resources []string
	// NotActions and NotResources are set when the statement uses them (it should not).
	NotActions, NotResources bool
	// Principals is set in a trust policy's statement (who may assume a role), which names no
	// resources.
	Principals bool
}

// Policy returns the statements of data "aws_iam_policy_document" name.
func (m *Module) Policy(t testing.TB, name string) []Statement {
	t.Helper()
	var out []Statement
	for _, s := range Nested(m.Must(t, "data", "aws_iam_policy_document", name), "statement") {
		effect, _ := m.Attr(s, "effect")
		_, na := s.Body.Attributes["not_actions"]
		_, nr := s.Body.Attributes["not_resources"]
		out = append(out, Statement{
			Effect: effect, Actions: m.List(t, s, "actions"), Resources: m.List(t, s, "resources"),
			NotActions: na, NotResources: nr, Principals: len(Nested(s, "principals")) > 0,
		})
	}
	if len(out) == 0 {
		t.Fatalf("%s: policy document %q has no statement", m.Dir, name)
	}
	return out
}
