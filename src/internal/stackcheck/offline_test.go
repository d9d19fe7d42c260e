package stackcheck

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/acme/objects-api/src/internal/tfcheck"
)

// ownImage: the images this project builds itself (compose `image:` of a built service).
var ownImage = regexp.MustCompile(`^objects-api(-[a-z]+)?:[a-z]+$`)

// The offline mode changes the images only through offline/images.env's variables, every one of
// them names a stand-in under the project's own name, and without it no stand-in is used.
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
					t.Errorf("%v without offline/images.env: service %s uses the stand-in %s", c.files, name, ref)
				}
			}
		}
	}
}

// The terraform job passes exactly the variables terraform/local declares (as TF_VAR_*): the
// compose file is where their values live.
func TestTerraformJobPassesTheLocalRootsVariables(t *testing.T) {
	var declared []string
	for _, b := range tfcheck.Load(t, "terraform/local").Blocks {
		if b.Type == "variable" {
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
// and the API use different clients), nothing on disk, and sends no telemetry.
func TestDynamoDBLocalSharesOneDatabase(t *testing.T) {
	cmd := loadProject(t, nil, devFiles...).Services["dynamodb"].Command
	for _, flag := range []string{"-sharedDb", "-inMemory", "-disableTelemetry"} {
		if !slices.Contains(cmd, flag) {
			t.Errorf("dynamodb command %q lacks %s", cmd, flag)
		}
	}
	if slices.Contains(cmd, "-dbPath") {
		t.Errorf("dynamodb command %q: -dbPath belongs to docker-compose.persist.yml only", cmd)
	}
}
