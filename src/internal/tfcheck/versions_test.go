package tfcheck

import (
	"regexp"
	"strconv"
	"testing"
)

// Every module under terraform/: the table module, the two roots that use it, and the root that
// creates terraform/aws's state bucket.
var modules = []string{"terraform", "terraform/local", "terraform/aws", "terraform/bootstrap"}

// awsProvider returns the source and version constraint of hashicorp/aws in m's terraform block.
func awsProvider(t *testing.T, m *Module) (source, version string) {
	t.Helper()
	rp := Nested(m.Must(t, "terraform"), "required_providers")
	if len(rp) != 1 {
		t.Fatalf("%s: want one required_providers block, got %d", m.Dir, len(rp))
	}
	a, ok := rp[0].Body.Attributes["aws"]
	if !ok {
		t.Fatalf("%s: required_providers has no aws", m.Dir)
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("%s: required_providers.aws: %s", m.Dir, diags.Error())
	}
	return v.GetAttr("source").AsString(), v.GetAttr("version").AsString()
}

var (
	exactVersion = regexp.MustCompile(`^=?\s*(\d+)\.(\d+)\.(\d+)$`)
	floorVersion = regexp.MustCompile(`^>=\s*\d+(\.\d+){0,2}$`)
)

// The table module states a floor for hashicorp/aws and nothing more, so any root can choose its
// version; each root pins one exactly. terraform/local stays below 6.13.0: from 6.13.0 the
// provider waits after CreateTable for WarmThroughput, which DynamoDB Local never reports.
func TestTerraformProviderVersions(t *testing.T) {
	for dir, want := range map[string]*regexp.Regexp{"terraform": floorVersion, "terraform/local": exactVersion, "terraform/aws": exactVersion, "terraform/bootstrap": exactVersion} {
		t.Run(dir, func(t *testing.T) {
			src, v := awsProvider(t, Load(t, dir))
			if src != "hashicorp/aws" {
				t.Errorf("aws provider source %q, want hashicorp/aws", src)
			}
			if !want.MatchString(v) {
				t.Fatalf("version %q does not match %s: the table module states a floor only (>= X[.Y[.Z]]), a root an exact X.Y.Z", v, want)
			}
			if m := exactVersion.FindStringSubmatch(v); dir == "terraform/local" {
				major, _ := strconv.Atoi(m[1])
				minor, _ := strconv.Atoi(m[2])
				if major > 6 || (major == 6 && minor >= 13) {
					t.Errorf("version %s: must stay below 6.13.0 (DynamoDB Local has no WarmThroughput)", v)
				}
			}
		})
	}
}

// The table module configures no provider and no backend: where it runs is the roots' business,
// so the same table definition deploys to DynamoDB Local and to AWS.
func TestTerraformTableModuleKnowsNothingOfWhereItRuns(t *testing.T) {
	m := Load(t, "terraform")
	if b := m.Block("provider", "aws"); b != nil {
		t.Errorf("terraform/: a provider block belongs in a root module (local/, aws/)")
	}
	if b := Nested(m.Must(t, "terraform"), "backend"); len(b) != 0 {
		t.Errorf("terraform/: a backend belongs in a root module")
	}
}
