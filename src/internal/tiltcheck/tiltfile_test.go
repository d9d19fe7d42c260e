package tiltcheck

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/acme/objects-api/src/internal/testutil"
)

// goFiles lists the repository's .go files as slash paths relative to root.
func goFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			rel, _ := filepath.Rel(root, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(files, "src/httpapi/health.go") {
		t.Fatalf("the hot-reload probe src/httpapi/health.go is not among the %d .go files found", len(files))
	}
	return files
}

func execTiltfile(t *testing.T, args map[string][]string) *Tiltfile {
	t.Helper()
	tf, err := Exec(filepath.Join(testutil.RepoRoot(t), "Tiltfile"), args)
	if err != nil {
		t.Fatalf("executing the Tiltfile: %v", err)
	}
	return tf
}

func TestTiltfileMatchesCompose(t *testing.T) {
	root := testutil.RepoRoot(t)
	c, err := LoadCompose(filepath.Join(root, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range []string{"dynamodb", "terraform", "api"} {
		if _, ok := c.Services[svc]; !ok {
			t.Errorf("docker-compose.yml has no %s service", svc)
		}
	}
	if err := Check(execTiltfile(t, nil), c, "docker-compose.yml", goFiles(t, root)); err != nil {
		t.Errorf("Tiltfile disagrees with docker-compose.yml:\n%v", err)
	}
}

func TestComposeFileArgumentAddsFiles(t *testing.T) {
	tf := execTiltfile(t, map[string][]string{"compose-file": {".ci/a.yml", "b.yml"}})
	want := []string{"docker-compose.yml", ".ci/a.yml", "b.yml"}
	if !slices.Equal(tf.ComposeFiles, want) {
		t.Errorf("compose files = %q, want %q", tf.ComposeFiles, want)
	}
	if tf := execTiltfile(t, nil); !slices.Equal(tf.ComposeFiles, want[:1]) {
		t.Errorf("without arguments, compose files = %q, want %q", tf.ComposeFiles, want[:1])
	}
}

func TestVersionConstraintIsAMinimum(t *testing.T) {
	tf := execTiltfile(t, nil)
	if !regexp.MustCompile(`^>=\s*\d+\.\d+\.\d+$`).MatchString(tf.VersionConstraint) {
		t.Errorf("version_settings constraint = %q, want a minimum like >=0.37.5", tf.VersionConstraint)
	}
}

func TestAPILinks(t *testing.T) {
	res := execTiltfile(t, nil).DCResources["api"]
	for _, url := range []string{"http://localhost:8080/objects", "http://localhost:8080/docs"} {
		if !slices.ContainsFunc(res.Links, func(l Link) bool { return l.URL == url }) {
			t.Errorf("api links = %v, want one to %s", res.Links, url)
		}
	}
}

func TestGoTestResourceIsManualAndUsesTheStack(t *testing.T) {
	tf := execTiltfile(t, nil)
	var found []string
	for name, lr := range tf.Locals {
		if lr.Env["DDB_TEST_ENDPOINT"] == "" {
			continue
		}
		found = append(found, name)
		if lr.Env["DDB_TEST_ENDPOINT"] != "http://localhost:8000" {
			t.Errorf("%s: DDB_TEST_ENDPOINT = %q, want the published DynamoDB Local port http://localhost:8000", name, lr.Env["DDB_TEST_ENDPOINT"])
		}
		if !strings.Contains(lr.Cmd, "go test") {
			t.Errorf("%s: cmd = %q, want the Go test suite", name, lr.Cmd)
		}
		if !lr.ManualTrig || lr.AutoInit {
			t.Errorf("%s: manual trigger = %v, auto_init = %v; want manual only, not at start", name, lr.ManualTrig, lr.AutoInit)
		}
	}
	if len(found) != 1 {
		t.Errorf("local_resources setting DDB_TEST_ENDPOINT: %q, want exactly one", found)
	}
}

func TestExecRejectsUnknownKeyword(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Tiltfile")
	writeFile(t, p, "dc_resource('api', resource_dep=['terraform'])\n")
	_, err := Exec(p, nil)
	if err == nil || !strings.Contains(err.Error(), "resource_dep") {
		t.Errorf("Exec of a misspelt keyword: err = %v, want one naming resource_dep", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
