package reliability

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/acme/objects-api/src/internal/reliability/report"
	"github.com/acme/objects-api/src/internal/testutil"
)

// Static checks of the repository for the container and supply-chain items. The
// running containers (UID, read-only root, capabilities) are checked by scripts/stack-test.sh.

// repoFiles lists the files git tracks (every file of the tree when it is not a git checkout,
// minus installed dependencies and build output).
func repoFiles(t *testing.T, dir string) []string {
	t.Helper()
	if out, err := exec.Command("git", "-C", dir, "ls-files", "-z").Output(); err == nil && len(out) > 0 {
		return strings.Split(strings.TrimRight(string(out), "\x00"), "\x00")
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || p == filepath.Join(dir, "tmp") || p == filepath.Join(dir, "bin")) {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

var (
	awsKeyID    = regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)
	privateKey  = regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`)
	credLiteral = regexp.MustCompile(`AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{4,})`)
	dummies     = map[string]bool{"localkey": true, "localsecret": true}
)

// TestNoCredentialsInRepo: no AWS key ids, private keys, or AWS credential variables set to
// anything but the local dummies (localkey/localsecret), in any tracked file.
func TestNoCredentialsInRepo(t *testing.T) {
	dir := testutil.RepoRoot(t)
	files := repoFiles(t, dir)
	scanned, dummyUses := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || bytes.IndexByte(b, 0) >= 0 {
			continue // deleted in the work tree, or binary
		}
		scanned++
		if m := awsKeyID.Find(b); m != nil {
			t.Errorf("%s: an AWS access key id %q", f, m)
		}
		if privateKey.Match(b) {
			t.Errorf("%s: a private key", f)
		}
		for _, m := range credLiteral.FindAllSubmatch(b, -1) {
			if !dummies[string(m[2])] {
				t.Errorf("%s: AWS_%s set to %q, not a local dummy", f, m[1], m[2])
			} else {
				dummyUses++
			}
		}
	}
	if scanned < 50 {
		t.Fatalf("only %d files scanned: the scan did not see the repository", scanned)
	}
	report.Record(t, report.SupplyChain, "No credentials in the repository",
		"scan every tracked text file for AWS key ids (AKIA/ASIA…), private keys, and AWS_* credential variables set to literals",
		fmt.Sprintf("%d files scanned; none found; %d literal credential settings, all the dummies localkey/localsecret", scanned, dummyUses))
}

var (
	fromLine    = regexp.MustCompile(`(?mi)^FROM\s+(\S+)(?:\s+AS\s+(\S+))?`)
	goInstall   = regexp.MustCompile(`(?m)^[^#\n]*(?:go|\$\(GO\)) install\s+(?:-\S+\s+)*([\w./-]+)@(\S+)`)
	exactSemver = regexp.MustCompile(`^v\d+\.\d+\.\d+$`)
	makeVar     = regexp.MustCompile(`^\$[({]?(\w+)[)}]?$`)
)

// TestImagesAndToolsPinned: every base image has an explicit tag other than latest, every
// `go install` names a version, npm dependencies are exact and locked, compose images are
// tagged, and Terraform providers are pinned exactly.
func TestImagesAndToolsPinned(t *testing.T) {
	dir := testutil.RepoRoot(t)
	var images, installs []string
	for _, f := range repoFiles(t, dir) {
		base := filepath.Base(f)
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			continue
		}
		if strings.HasPrefix(base, "Dockerfile") {
			stages := map[string]bool{}
			for _, m := range fromLine.FindAllStringSubmatch(string(b), -1) {
				ref := m[1]
				switch {
				case ref == "scratch" || stages[strings.ToLower(ref)] || strings.HasPrefix(ref, "${"):
				case !strings.Contains(ref[strings.LastIndex(ref, "/")+1:], ":") || strings.HasSuffix(ref, ":latest"):
					t.Errorf("%s: FROM %s has no pinned tag", f, ref)
				default:
					images = append(images, ref)
				}
				if m[2] != "" {
					stages[strings.ToLower(m[2])] = true
				}
			}
		}
		if strings.HasPrefix(base, "Dockerfile") || strings.HasSuffix(f, ".sh") || strings.HasSuffix(f, ".mk") || base == "Makefile" || strings.HasPrefix(f, ".ci/") {
			for _, m := range goInstall.FindAllStringSubmatch(string(b), -1) {
				if v := makeVar.FindStringSubmatch(m[2]); v != nil { // a variable set in the same file
					if def := regexp.MustCompile(`(?m)^\s*` + v[1] + `\s*[:?]?=\s*(\S+)`).FindStringSubmatch(string(b)); def != nil {
						m[2] = def[1]
					}
				}
				if !exactSemver.MatchString(m[2]) {
					t.Errorf("%s: go install %s@%s is not an exact version", f, m[1], m[2])
				}
				installs = append(installs, m[1]+"@"+m[2])
			}
		}
		if strings.HasPrefix(base, "docker-compose") || strings.HasPrefix(f, ".devcontainer/") && strings.HasSuffix(f, ".yml") || strings.HasPrefix(f, ".ci/") && strings.HasSuffix(f, ".yml") {
			var c struct {
				Services map[string]struct {
					Image string `yaml:"image"`
				} `yaml:"services"`
			}
			if err := yaml.Unmarshal(b, &c); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for name, s := range c.Services {
				if s.Image == "" {
					continue
				}
				if tag := s.Image[strings.LastIndex(s.Image, "/")+1:]; !strings.Contains(tag, ":") || strings.HasSuffix(tag, ":latest") {
					t.Errorf("%s: service %s image %q has no pinned tag", f, name, s.Image)
				}
				images = append(images, s.Image)
			}
		}
		if base == "package.json" && !strings.Contains(f, "node_modules") {
			if _, err := os.Stat(filepath.Join(dir, filepath.Dir(f), "package-lock.json")); err != nil {
				t.Errorf("%s: no package-lock.json beside it", f)
			}
			if loose := regexp.MustCompile(`"[^"]+":\s*"[\^~*><]|"latest"`).Find(b); loose != nil {
				t.Errorf("%s: a dependency that is not an exact version: %s", f, loose)
			}
		}
		if base == "versions.tf" {
			// Provider versions ("version = ..."), not the CLI's required_version range.
			for _, m := range regexp.MustCompile(`(?m)^\s*version\s*=\s*"([^"]+)"`).FindAllStringSubmatch(string(b), -1) {
				if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(m[1]) {
					t.Errorf("%s: provider version %q is not exact", f, m[1])
				}
			}
		}
	}
	if len(images) < 3 || len(installs) < 2 {
		t.Fatalf("found %d images and %d go installs: the scan missed the Dockerfiles", len(images), len(installs))
	}
	report.Record(t, report.SupplyChain, "Every image and tool version pinned",
		"read every tracked Dockerfile, compose file, script and make file; package.json files; Terraform versions.tf",
		fmt.Sprintf("%d image references, all tagged (none latest); %d go installs, all exact versions (e.g. %s); npm dependencies exact and locked; Terraform providers exact",
			len(images), len(installs), installs[0]))
}

// TestComposeHardening: DynamoDB Local is published on 127.0.0.1 only, and the prod variant
// runs the API as a non-root user with a read-only root filesystem, no capabilities and
// no-new-privileges (scripts/stack-test.sh checks the running container does).
func TestComposeHardening(t *testing.T) {
	dir := testutil.RepoRoot(t)
	type svc struct {
		Ports       []string `yaml:"ports"`
		User        string   `yaml:"user"`
		ReadOnly    bool     `yaml:"read_only"`
		CapDrop     []string `yaml:"cap_drop"`
		SecurityOpt []string `yaml:"security_opt"`
	}
	load := func(rel string) map[string]svc {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Services map[string]svc `yaml:"services"`
		}
		if err := yaml.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		return c.Services
	}
	dev := load("docker-compose.yml")
	ddb, ok := dev["dynamodb"]
	if !ok || len(ddb.Ports) == 0 {
		t.Fatal("docker-compose.yml: no dynamodb service with published ports")
	}
	for _, p := range ddb.Ports {
		if !strings.HasPrefix(p, "127.0.0.1:") {
			t.Errorf("docker-compose.yml: dynamodb publishes %q, not on 127.0.0.1 only", p)
		}
	}
	api := load("docker-compose.prod.yml")["api"]
	if u := strings.SplitN(api.User, ":", 2)[0]; u == "" || u == "0" || u == "root" {
		t.Errorf("docker-compose.prod.yml: api user %q is root or unset", api.User)
	}
	if !api.ReadOnly {
		t.Error("docker-compose.prod.yml: api read_only is not true")
	}
	if len(api.CapDrop) != 1 || !strings.EqualFold(api.CapDrop[0], "ALL") {
		t.Errorf("docker-compose.prod.yml: api cap_drop is %v, want [ALL]", api.CapDrop)
	}
	if !containsString(api.SecurityOpt, "no-new-privileges:true") && !containsString(api.SecurityOpt, "no-new-privileges") {
		t.Errorf("docker-compose.prod.yml: api security_opt %v lacks no-new-privileges", api.SecurityOpt)
	}
	df, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	prod := regexp.MustCompile(`(?s)FROM scratch AS prod\n.*`).Find(df)
	user := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindSubmatch(prod)
	if user == nil || strings.HasPrefix(string(user[1]), "0") || strings.HasPrefix(string(user[1]), "root") {
		t.Errorf("Dockerfile: the prod stage does not switch to a non-root USER")
	}
	report.Record(t, report.SupplyChain, "Container hardening (compose files)",
		"read docker-compose.yml, docker-compose.prod.yml and the Dockerfile's prod stage",
		fmt.Sprintf("dynamodb published on %v only; prod api: user %s (Dockerfile USER %s), read_only, cap_drop %v, security_opt %v",
			ddb.Ports, api.User, user[1], api.CapDrop, api.SecurityOpt))
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
