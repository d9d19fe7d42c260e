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
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

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

// Vars are variable values for Eval; the variables it does not name take their defaults.
type Vars map[string]cty.Value

// functions are the Terraform functions the modules' variable-only expressions use.
var functions = map[string]function.Function{
	"can":        tryfunc.CanFunc,
	"contains":   stdlib.ContainsFunc,
	"jsonencode": stdlib.JSONEncodeFunc,
	"regex":      stdlib.RegexFunc,
}

// Eval evaluates e as a plan would with these variables: var.* from vars or the variables'
// defaults (null without one), local.* for the locals that depend on variables only. It fails
// the test when e needs more (a resource's attribute, a data source, another function).
func (m *Module) Eval(t testing.TB, e hclsyntax.Expression, vars Vars) cty.Value {
	t.Helper()
	v, diags := e.Value(m.evalContext(t, vars))
	if diags.HasErrors() {
		t.Fatalf("%s: evaluating %s: %s", m.Dir, m.Text(e), diags.Error())
	}
	return v
}

// Count is how many instances of b a plan with vars creates: its count, or 1 without one.
func (m *Module) Count(t testing.TB, b *hclsyntax.Block, vars Vars) int {
	t.Helper()
	a, ok := b.Body.Attributes["count"]
	if !ok {
		return 1
	}
	n, _ := m.Eval(t, a.Expr, vars).AsBigFloat().Int64()
	return int(n)
}

// Valid reports whether every validation block of the named variables holds with vars, as
// `terraform plan` checks them.
func (m *Module) Valid(t testing.TB, vars Vars, names ...string) bool {
	t.Helper()
	for _, name := range names {
		for _, v := range Nested(m.Must(t, "variable", name), "validation") {
			if m.Eval(t, v.Body.Attributes["condition"].Expr, vars).False() {
				return false
			}
		}
	}
	return true
}

func (m *Module) evalContext(t testing.TB, vars Vars) *hcl.EvalContext {
	t.Helper()
	values := make(map[string]cty.Value)
	for _, b := range m.Blocks {
		if b.Type != "variable" {
			continue
		}
		values[b.Labels[0]] = cty.NullVal(cty.DynamicPseudoType)
		if a, ok := b.Body.Attributes["default"]; ok {
			if v, diags := a.Expr.Value(nil); !diags.HasErrors() {
				values[b.Labels[0]] = v
			}
		}
	}
	for name, v := range vars {
		if _, ok := values[name]; !ok {
			t.Fatalf("%s: no variable %q", m.Dir, name)
		}
		values[name] = v
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(values)}, Functions: functions}
	// Locals may refer to each other: evaluate until no more become known.
	locals := make(map[string]cty.Value)
	for progress := true; progress; {
		progress = false
		ctx.Variables["local"] = cty.ObjectVal(locals)
		for _, b := range m.Blocks {
			if b.Type != "locals" {
				continue
			}
			for name, a := range b.Body.Attributes {
				if _, known := locals[name]; known {
					continue
				}
				if v, diags := a.Expr.Value(ctx); !diags.HasErrors() {
					locals[name], progress = v, true
				}
			}
		}
	}
	ctx.Variables["local"] = cty.ObjectVal(locals)
	return ctx
}
