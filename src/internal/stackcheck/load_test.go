package stackcheck

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/acme/objects-api/src/internal/testutil"
)

// The compose file sets a person runs, each as the verbs merge them.
var (
	devFiles          = []string{"docker-compose.yml"}
	prodFiles         = []string{"docker-compose.yml", "docker-compose.prod.yml"}
	devcontainerFiles = []string{"docker-compose.yml", ".devcontainer/compose.devcontainer.yml"}
	offlineFiles      = []string{"docker-compose.yml", "offline/compose.yml"}
	persistFiles      = []string{"docker-compose.yml", "docker-compose.persist.yml"}
)

// loadProject merges compose files (relative to the repository) as `docker compose` does, with
// exactly the variables in env: a person's own environment never changes what is checked. Every
// profile is enabled, so opt-in services (the `tools` profile) are checked too.
func loadProject(t *testing.T, env map[string]string, files ...string) *types.Project {
	t.Helper()
	return loadProfiles(t, env, []string{"*"}, files...)
}

// loadProfiles is loadProject with only the given compose profiles enabled (none: the default).
func loadProfiles(t *testing.T, env map[string]string, profiles []string, files ...string) *types.Project {
	t.Helper()
	root := testutil.RepoRoot(t)
	var envList []string
	for k, v := range env {
		envList = append(envList, k+"="+v)
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = filepath.Join(root, f)
	}
	opts, err := cli.NewProjectOptions(paths, cli.WithWorkingDirectory(root), cli.WithEnv(envList), cli.WithProfiles(profiles))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("compose files %v: %v", files, err)
	}
	return p
}

// offlineEnv is offline/images.env: the offline mode's image variables.
func offlineEnv(t *testing.T) map[string]string {
	t.Helper()
	env, err := dotenv.Read(filepath.Join(testutil.RepoRoot(t), "offline/images.env"))
	if err != nil || len(env) == 0 {
		t.Fatalf("offline/images.env: %d variables (%v)", len(env), err)
	}
	return env
}

// trackedFiles reads the text files git tracks, by path relative to the repository (files
// deleted in the work tree and binaries left out); outside a git checkout (a worktree mounted
// into a container), every file but dependencies and build output.
func trackedFiles(t *testing.T) map[string][]byte {
	t.Helper()
	root := testutil.RepoRoot(t)
	var paths []string
	if out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output(); err == nil && len(out) > 0 {
		paths = strings.Split(strings.TrimRight(string(out), "\x00"), "\x00")
	} else if err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		switch {
		case d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || rel == "tmp" || rel == "bin"):
			return filepath.SkipDir
		case d.Type().IsRegular():
			paths = append(paths, filepath.ToSlash(rel))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	files := make(map[string][]byte, len(paths))
	for _, f := range paths {
		if b, err := os.ReadFile(filepath.Join(root, f)); err == nil && bytes.IndexByte(b, 0) < 0 {
			files[f] = b
		}
	}
	return files
}
