package stackcheck

import (
	"cmp"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	imageDefault = regexp.MustCompile(`\$\{(\w+_IMAGE):-([^}]+)\}`)
	argDefault   = regexp.MustCompile(`(?m)^ARG (\w+_IMAGE)=(\S+)$`)
	fromLine     = regexp.MustCompile(`(?m)^FROM\s+(\S+)(?:\s+AS\s+(\S+))?`)
	goInstall    = regexp.MustCompile(`(?m)^[^#\n]*(?:go|\$\(GO\)) install\s+(?:-\S+\s+)*([\w./-]+)@(\S+)`)
	makeVarRef   = regexp.MustCompile(`^\$[({](\w+)[)}]$`)
	exactSemver  = regexp.MustCompile(`^v\d+\.\d+\.\d+$`)
	looseNPM     = regexp.MustCompile(`"[^"]+":\s*"[\^~*><]|"latest"`)
)

// pinned: an image reference with a tag other than latest (or a digest).
func pinned(ref string) bool {
	name := ref[strings.LastIndex(ref, "/")+1:]
	return strings.Contains(ref, "@sha256:") || strings.Contains(name, ":") && !strings.HasSuffix(name, ":latest")
}

// Every image is pinned: each image variable has one default across compose files and
// Dockerfiles, a pinned one; a FROM names a variable, a stage or a pinned image; every compose
// service's image is pinned; every `go install` names an exact version; npm dependencies are
// exact and locked.
func TestImagesAndToolsPinned(t *testing.T) {
	defaults := map[string][]string{} // variable -> its defaults, one per place that gives one
	installs := 0
	files := trackedFiles(t)
	for f, raw := range files {
		base := path.Base(f)
		b := string(raw)
		isDockerfile := strings.HasPrefix(base, "Dockerfile") && !strings.HasPrefix(f, "offline/")
		stages := map[string]string{} // a Dockerfile's stage -> the image it starts from
		if isDockerfile {
			for _, m := range fromLine.FindAllStringSubmatch(b, -1) {
				ref, known := stages[m[1]]
				if !known && m[1] != "scratch" && !strings.HasPrefix(m[1], "${") && !pinned(m[1]) {
					t.Errorf("%s: FROM %s is not pinned", f, m[1])
				}
				if m[2] != "" {
					stages[m[2]] = cmp.Or(ref, m[1])
				}
			}
		}
		if strings.HasSuffix(f, ".yml") || isDockerfile {
			for _, m := range append(imageDefault.FindAllStringSubmatch(b, -1), argDefault.FindAllStringSubmatch(b, -1)...) {
				def := cmp.Or(stages[m[2]], m[2]) // an ARG default may name a stage of the same file
				if !slices.Contains(defaults[m[1]], def) {
					defaults[m[1]] = append(defaults[m[1]], def)
				}
			}
		}
		if isDockerfile || strings.HasSuffix(f, ".sh") || strings.HasSuffix(f, ".mk") || base == "Makefile" {
			for _, m := range goInstall.FindAllStringSubmatch(b, -1) {
				version := m[2]
				if v := makeVarRef.FindStringSubmatch(version); v != nil {
					if def := regexp.MustCompile(`(?m)^` + v[1] + `\s*[:?]?=\s*(\S+)`).FindStringSubmatch(b); def != nil {
						version = def[1]
					}
				}
				if !exactSemver.MatchString(version) {
					t.Errorf("%s: go install %s@%s is not an exact version", f, m[1], version)
				}
				installs++
			}
		}
		if base == "package.json" {
			if _, ok := files[path.Join(path.Dir(f), "package-lock.json")]; !ok {
				t.Errorf("%s: no package-lock.json beside it", f)
			}
			if loose := looseNPM.FindString(b); loose != "" {
				t.Errorf("%s: a dependency that is not an exact version: %s", f, loose)
			}
		}
	}
	for v, defs := range defaults {
		if len(defs) != 1 || !pinned(defs[0]) {
			t.Errorf("image variable %s: defaults %q, want one pinned image", v, defs)
		}
	}
	for _, want := range []string{"DYNAMODB_LOCAL_IMAGE", "TERRAFORM_IMAGE", "GOLANG_IMAGE"} {
		if defaults[want] == nil {
			t.Errorf("no default found for %s: the scan missed the compose files or Dockerfiles", want)
		}
	}
	for _, files := range [][]string{devFiles, prodFiles, devcontainerFiles} {
		for name, s := range loadProject(t, nil, files...).Services {
			if !pinned(s.Image) {
				t.Errorf("%v: service %s image %q is not pinned", files, name, s.Image)
			}
		}
	}
	if installs < 3 {
		t.Fatalf("found %d go installs: the scan missed the Dockerfiles and make files", installs)
	}
}

// Every port any variant of the stack publishes (tools profile included) is on loopback only,
// and the prod api mounts nothing: its image carries its code. The running prod container's
// hardening (UID 65532, read-only root, no capabilities, no-new-privileges) is proven by
// scripts/stack-test.sh, persistence across restarts by scripts/persistence-test.sh.
func TestPublishedPortsLoopbackOnly(t *testing.T) {
	debugFiles := []string{"docker-compose.yml", "docker-compose.debug.yml"}
	for _, files := range [][]string{devFiles, prodFiles, persistFiles, devcontainerFiles, debugFiles} {
		for name, s := range loadProfiles(t, nil, []string{"tools"}, files...).Services {
			for _, port := range s.Ports {
				if port.HostIP != "127.0.0.1" {
					t.Errorf("%v: %s publishes %s on %q, want 127.0.0.1 only", files, name, port.Published, port.HostIP)
				}
			}
		}
	}
	if v := loadProject(t, nil, prodFiles...).Services["api"].Volumes; len(v) != 0 {
		t.Errorf("prod api mounts %v; the prod image carries its code", v)
	}
}
