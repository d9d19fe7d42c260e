package stackcheck

import (
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/acme/objects-api/src/internal/testutil"
)

// ownImage: the images this project builds itself (compose `image:` of a built service).
var ownImage = regexp.MustCompile(`^objects-api(-[a-z]+)?:[a-z]+$`)

// OFFLINE=1 changes the images only through offline/images.env's variables, every one of them
// names a stand-in under the project's own name, and without it no stand-in is used.
func TestOfflineModeSelectsStandInsByVariable(t *testing.T) {
	env := offlineEnv(t)
	for k, v := range env {
		if !strings.HasPrefix(v, "objects-api-offline/") {
			t.Errorf("offline/images.env: %s=%s is not under the project's own name objects-api-offline/", k, v)
		}
	}
	standIns := slices.Collect(maps.Values(env))
	for _, c := range []struct {
		files   []string
		env     map[string]string
		offline bool
	}{
		{devFiles, nil, false}, {devcontainerFiles, nil, false}, {prodFiles, nil, false},
		{offlineFiles, env, true}, {append(devcontainerFiles, "offline/compose.yml"), env, true},
	} {
		for name, s := range loadProject(t, c.env, c.files...).Services {
			refs := []string{s.Image}
			if s.Build != nil {
				for arg, v := range s.Build.Args {
					if strings.HasSuffix(arg, "_IMAGE") && v != nil {
						refs = append(refs, *v)
					}
				}
			}
			for _, ref := range refs {
				isStandIn := slices.Contains(standIns, ref)
				if c.offline && !isStandIn && !ownImage.MatchString(ref) {
					t.Errorf("%v offline: service %s uses %s, not a stand-in of offline/images.env", c.files, name, ref)
				}
				if !c.offline && isStandIn {
					t.Errorf("%v without OFFLINE: service %s uses the stand-in %s", c.files, name, ref)
				}
			}
		}
	}
}

// The offline override replaces only the terraform job's command: it keeps the job's TF_VAR_*
// unchanged, and its script creates the table terraform/main.tf defines.
func TestOfflineTableJobCreatesTheModulesTable(t *testing.T) {
	real := loadProject(t, nil, devFiles...).Services["terraform"]
	off := loadProject(t, offlineEnv(t), offlineFiles...).Services["terraform"]
	if want, got := real.Environment.ToMapping(), off.Environment.ToMapping(); !maps.Equal(want, got) {
		t.Errorf("offline/compose.yml changes the terraform job's environment: %v, want docker-compose.yml's %v", got, want)
	}
	if got := strings.Join(off.Entrypoint, " "); got != "/bin/sh /table-job.sh" {
		t.Errorf("offline terraform entrypoint = %q, want the table job", got)
	}
	script := string(readFile(t, "offline/table-job.sh"))
	m := regexp.MustCompile(`(?m)^billing_mode=(\S+)$`).FindStringSubmatch(script)
	if want := tableBillingMode(t); m == nil || m[1] != want {
		t.Errorf("offline/table-job.sh: billing_mode line %v; terraform/main.tf creates %s tables", m, want)
	}
	if !strings.Contains(script, `AttributeType: "S"`) {
		t.Error(`offline/table-job.sh: the hash key must be AttributeType "S", as in terraform/main.tf`)
	}
}

// tableBillingMode is billing_mode of terraform/main.tf's aws_dynamodb_table.this (a literal).
func tableBillingMode(t *testing.T) string {
	t.Helper()
	for _, b := range hclBlocks(t, "terraform/main.tf", "resource", "type", "name") {
		if b.Labels[0] != "aws_dynamodb_table" || b.Labels[1] != "this" {
			continue
		}
		attrs, _ := b.Body.JustAttributes()
		if a, ok := attrs["billing_mode"]; ok {
			if v, diags := a.Expr.Value(nil); !diags.HasErrors() {
				return v.AsString()
			}
		}
	}
	t.Fatal("terraform/main.tf: no aws_dynamodb_table.this with a literal billing_mode")
	return ""
}

// The terraform job passes exactly the variables terraform/local declares (as TF_VAR_*): the
// compose file is where their values live.
func TestTerraformJobPassesTheLocalRootsVariables(t *testing.T) {
	var declared []string
	files, _ := filepath.Glob(filepath.Join(testutil.RepoRoot(t), "terraform/local/*.tf"))
	for _, f := range files {
		for _, b := range hclBlocks(t, "terraform/local/"+filepath.Base(f), "variable", "name") {
			declared = append(declared, b.Labels[0])
		}
	}
	var passed []string
	for k := range loadProject(t, nil, devFiles...).Services["terraform"].Environment {
		if name, ok := strings.CutPrefix(k, "TF_VAR_"); ok {
			passed = append(passed, name)
		}
	}
	slices.Sort(declared)
	slices.Sort(passed)
	if len(declared) == 0 || !slices.Equal(declared, passed) {
		t.Errorf("terraform job passes TF_VAR_ %q; terraform/local declares %q", passed, declared)
	}
}

// DynamoDB Local keeps one in-memory database for every key pair and region (the terraform job
// and the API use different clients) and sends no telemetry.
func TestDynamoDBLocalSharesOneDatabase(t *testing.T) {
	cmd := loadProject(t, nil, devFiles...).Services["dynamodb"].Command
	for _, flag := range []string{"-sharedDb", "-inMemory", "-disableTelemetry"} {
		if !slices.Contains(cmd, flag) {
			t.Errorf("dynamodb command %q lacks %s", cmd, flag)
		}
	}
}

// hclBlocks returns the top-level blocks of one type in a Terraform file.
func hclBlocks(t *testing.T, rel, typ string, labels ...string) hcl.Blocks {
	t.Helper()
	f, diags := hclparse.NewParser().ParseHCLFile(filepath.Join(testutil.RepoRoot(t), rel))
	if diags.HasErrors() {
		t.Fatalf("%s: %s", rel, diags.Error())
	}
	content, _, diags := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: typ, LabelNames: labels}}})
	if diags.HasErrors() {
		t.Fatalf("%s: %s", rel, diags.Error())
	}
	return content.Blocks
}
