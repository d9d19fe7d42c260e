package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
)

// breakpoint is a source line on the host, in the host's path form.
type breakpoint struct {
	file    string
	line    int
	handler string
}

// locateHandler finds, in the Go package in dir, the handler the route table lists for method
// and route, and returns the first statement of the handler's closure
// after the one that assigns variable (and after that statement's error check), so that the
// variable is in scope and set when the breakpoint is hit. Reading the routes instead of
// naming the function keeps the test working when the handler is renamed.
func locateHandler(dir, method, route, variable string) (breakpoint, error) {
	fset := token.NewFileSet()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return breakpoint{}, err
	}
	var files []*ast.File
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return breakpoint{}, err
		}
		files = append(files, f)
	}
	name := registeredHandler(files, method, route)
	if name == "" {
		return breakpoint{}, fmt.Errorf("%s: the route table lists no %s %s", dir, method, route)
	}
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Name.Name != name || fn.Recv != nil {
				continue
			}
			pos, err := statementAfter(fn, variable)
			if err != nil {
				return breakpoint{}, fmt.Errorf("%s: %w", name, err)
			}
			p := fset.Position(pos)
			abs, err := filepath.Abs(p.Filename)
			return breakpoint{file: abs, line: p.Line, handler: name}, err
		}
	}
	return breakpoint{}, fmt.Errorf("%s: handler %s registered but not declared", dir, name)
}

// registeredHandler returns the name of the handler constructor that the route table
// (src/httpapi/routes.go) lists for method and route: an element {"GET", "/object/:id", ..., f}.
func registeredHandler(files []*ast.File, method, route string) string {
	var name string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || len(lit.Elts) < 3 {
				return true
			}
			m, r := stringLit(lit.Elts[0]), stringLit(lit.Elts[1])
			if id, ok := lit.Elts[len(lit.Elts)-1].(*ast.Ident); ok && strings.EqualFold(m, method) && r == route {
				name = id.Name
			}
			return true
		})
	}
	return name
}

func stringLit(e ast.Expr) string {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		return ""
	}
	return s
}

// statementAfter finds the closure that fn returns and the statement after the assignment to
// variable, skipping an `if` that directly follows it (the error check).
func statementAfter(fn *ast.FuncDecl, variable string) (token.Pos, error) {
	var body *ast.BlockStmt
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok && body == nil {
			body = lit.Body
		}
		return body == nil
	})
	if body == nil {
		return 0, fmt.Errorf("returns no closure")
	}
	for i, st := range body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || !assigns(as, variable) {
			continue
		}
		rest := body.List[i+1:]
		if len(rest) > 0 {
			if _, isIf := rest[0].(*ast.IfStmt); isIf {
				rest = rest[1:]
			}
		}
		if len(rest) == 0 {
			return 0, fmt.Errorf("nothing after the assignment to %s", variable)
		}
		return rest[0].Pos(), nil
	}
	return 0, fmt.Errorf("no assignment to %s in its closure", variable)
}

func assigns(as *ast.AssignStmt, variable string) bool {
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok && id.Name == variable {
			return true
		}
	}
	return false
}
