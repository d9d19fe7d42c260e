package stackcheck

import (
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/acme/objects-api/src/internal/testutil"
)

// dependabotConfig is the part of .github/dependabot.yml that says where each ecosystem is looked for.
type dependabotConfig struct {
	Updates []struct {
		Ecosystem   string   `json:"package-ecosystem"`
		Directory   string   `json:"directory"`
		Directories []string `json:"directories"`
	} `json:"updates"`
}

var composeImageDefault = regexp.MustCompile(`^\$\{\w+(?::-([^}]*)|:?[?][^}]*)?\}$`)

// manifestEcosystem says which Dependabot ecosystem updates f, or "" when f pins nothing an
// update bot could move: a Dockerfile without a literal FROM image, a compose file whose images
// are all built here or chosen by a variable without a default.
func manifestEcosystem(t *testing.T, f string, b []byte) string {
	base := path.Base(f)
	switch {
	case base == "go.mod":
		return "gomod"
	case base == "package.json":
		return "npm"
	case strings.HasPrefix(f, ".github/workflows/"):
		return "github-actions"
	case path.Ext(f) == ".tf":
		return "terraform"
	case strings.HasPrefix(base, "Dockerfile"):
		var stages []string
		for _, m := range fromLine.FindAllStringSubmatch(string(b), -1) {
			if ref := m[1]; ref != "scratch" && !strings.HasPrefix(ref, "$") && !slices.Contains(stages, ref) {
				return "docker"
			}
			stages = append(stages, m[2])
		}
	case strings.Contains(base, "compose") && (path.Ext(f) == ".yml" || path.Ext(f) == ".yaml"):
		var doc struct {
			Services map[string]struct {
				Image string `json:"image"`
				Build any    `json:"build"`
			} `json:"services"`
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, s := range doc.Services {
			image := s.Image
			if m := composeImageDefault.FindStringSubmatch(image); m != nil {
				image = m[1]
			}
			if image != "" && s.Build == nil {
				return "docker-compose"
			}
		}
	}
	return ""
}

// Every manifest in the tree has an update entry for its ecosystem and directory in
// .github/dependabot.yml, and every entry's directory holds such a manifest.
func TestUpdateBotCoversEveryManifest(t *testing.T) {
	var cfg dependabotConfig
	if err := yaml.Unmarshal(testutil.ReadFile(t, ".github/dependabot.yml"), &cfg); err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{} // "ecosystem /dir"
	for _, u := range cfg.Updates {
		for _, dir := range append(u.Directories, u.Directory) {
			if dir != "" {
				covered[u.Ecosystem+" "+path.Clean(dir)] = true
			}
		}
	}
	found := map[string]bool{}
	for f, b := range trackedFiles(t) {
		eco := manifestEcosystem(t, f, b)
		if eco == "" {
			continue
		}
		dir := path.Join("/", path.Dir(f))
		if eco == "github-actions" {
			dir = "/"
		}
		key := eco + " " + dir
		if !covered[key] && !found[key] {
			t.Errorf(".github/dependabot.yml: no %s entry for %s (%s)", eco, dir, f)
		}
		found[key] = true
	}
	for key := range covered {
		if !found[key] {
			t.Errorf(".github/dependabot.yml: %s holds no manifest of that ecosystem", key)
		}
	}
	if len(found) < 8 {
		t.Fatalf("found %d manifest places: the scan did not see the repository", len(found))
	}
}
