package tfcheck

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/acme/objects-api/src/internal/testutil"
)

// Operable (issue 18, item 7): alarms to a topic people subscribe to, state in S3 with a lock,
// and a deploy role only main can assume.

// localExpr returns the expression of local value name.
func localExpr(t *testing.T, m *Module, name string) hclsyntax.Expression {
	t.Helper()
	for _, b := range m.Blocks {
		if a, ok := b.Body.Attributes[name]; ok && b.Type == "locals" {
			return a.Expr
		}
	}
	t.Fatalf("%s: no local %q", m.Dir, name)
	return nil
}

// Every alarm notifies the alarm topic when it fires and when it clears, and the topic's
// subscribers are var.alarm_subscriptions.
func TestTerraformAWSAlarmsNotifyTheTopic(t *testing.T) {
	m := Load(t, "terraform/aws")
	topic := "[aws_sns_topic.alarms.arn]"
	alarms := resources(m, "aws_cloudwatch_metric_alarm")
	if len(alarms) == 0 {
		t.Fatal("terraform/aws: no aws_cloudwatch_metric_alarm")
	}
	for _, a := range alarms {
		for _, actions := range []string{"alarm_actions", "ok_actions"} {
			got := attr(m, a, actions)
			if strings.HasPrefix(got, "local.") {
				got = m.Text(localExpr(t, m, strings.TrimPrefix(got, "local.")))
			}
			if got != topic {
				t.Errorf("alarm %s: %s = %q, want %s", a.Labels[1], actions, got, topic)
			}
		}
	}
	// Container Insights metrics exist only where the cluster publishes them.
	for name, src := range m.src {
		if s := only(t, m.Must(t, "resource", "aws_ecs_cluster", "this"), "setting"); strings.Contains(string(src), "ECS/ContainerInsights") &&
			(attr(m, s, "name") != "containerInsights" || attr(m, s, "value") == "disabled") {
			t.Errorf("%s alarms on Container Insights metrics, but aws_ecs_cluster.this does not enable containerInsights", filepath.Base(name))
		}
	}
	sub := m.Must(t, "resource", "aws_sns_topic_subscription", "alarms")
	if attr(m, sub, "topic_arn") != "aws_sns_topic.alarms.arn" || !strings.Contains(attr(m, sub, "for_each"), "var.alarm_subscriptions") {
		t.Error("aws_sns_topic_subscription.alarms: want one subscription to the topic per var.alarm_subscriptions")
	}
}

// minVersion returns the lowest Terraform release a ">= X.Y[.Z]" constraint admits, as [X, Y].
func minVersion(t *testing.T, constraint string) [2]int {
	t.Helper()
	s := regexp.MustCompile(`^>=\s*(\d+)\.(\d+)`).FindStringSubmatch(constraint)
	if s == nil {
		t.Fatalf("required_version %q: want >= X.Y[.Z]", constraint)
	}
	major, _ := strconv.Atoi(s[1])
	minor, _ := strconv.Atoi(s[2])
	return [2]int{major, minor}
}

// terraform/aws keeps its state in S3 behind a lock file: a partial backend "s3" (names come
// from backend.hcl, whose example turns the S3 lock file on), a Terraform that has the lock
// file, and terraform/bootstrap's bucket to put it in (versioned, private and encrypted:
// TestTerraformSafeSettings, TestTerraformBucketsPrivateEncrypted), whose own state stays local.
func TestTerraformAWSRemoteStateInS3(t *testing.T) {
	m := Load(t, "terraform/aws")
	tf := m.Must(t, "terraform")
	backends := Nested(tf, "backend")
	if len(backends) != 1 || backends[0].Labels[0] != "s3" || len(backends[0].Body.Attributes) != 0 {
		t.Fatal(`terraform/aws: want exactly backend "s3" {}, configured at init from backend.hcl`)
	}
	// use_lockfile is generally available from Terraform 1.11 (experimental in 1.10).
	if v := minVersion(t, attr(m, tf, "required_version")); v[0] == 1 && v[1] < 11 {
		t.Errorf("terraform/aws required_version admits %d.%d, which lacks the S3 lock file", v[0], v[1])
	}

	name := filepath.Join(testutil.RepoRoot(t), "terraform/aws/backend.hcl.example")
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	got := make(map[string]cty.Value)
	for k, a := range f.Body.(*hclsyntax.Body).Attributes {
		got[k], _ = a.Expr.Value(nil)
	}
	if v, ok := got["use_lockfile"]; !ok || !v.True() {
		t.Error("backend.hcl.example: want use_lockfile = true")
	}
	if _, ok := got["dynamodb_table"]; ok {
		t.Error("backend.hcl.example: dynamodb_table is the deprecated lock; use_lockfile replaces it")
	}

	if b := Nested(Load(t, "terraform/bootstrap").Must(t, "terraform"), "backend"); len(b) != 0 {
		t.Error("terraform/bootstrap: its state must stay local (it creates the state bucket)")
	}
}

// The deploy role trusts GitHub's OIDC tokens for AWS STS from var.github_repository's main
// branch only: not another branch, a tag, a pull request or another repository.
func TestTerraformAWSDeployRoleTrustsOnlyMain(t *testing.T) {
	m := Load(t, "terraform/aws")
	role := m.Must(t, "resource", "aws_iam_role", "github_deploy")
	if got := attr(m, role, "assume_role_policy"); got != "data.aws_iam_policy_document.github_deploy_assume[0].json" {
		t.Fatalf("aws_iam_role.github_deploy assume_role_policy = %q", got)
	}
	repo := Vars{"github_repository": cty.StringVal("octo-org/octo-repo")}
	statements := Nested(m.Must(t, "data", "aws_iam_policy_document", "github_deploy_assume"), "statement")
	if len(statements) != 1 {
		t.Fatalf("github_deploy_assume: want one statement, got %d", len(statements))
	}
	s := statements[0]
	p := only(t, s, "principals")
	if !slices.Equal(m.List(t, s, "actions"), []string{"sts:AssumeRoleWithWebIdentity"}) || attr(m, p, "type") != "Federated" {
		t.Error("github_deploy_assume: want sts:AssumeRoleWithWebIdentity by a federated principal")
	}
	got := make(map[string]string)
	for _, c := range Nested(s, "condition") {
		values := m.Eval(t, c.Body.Attributes["values"].Expr, repo).AsValueSlice()
		if len(values) != 1 {
			t.Errorf("condition on %s: %d values, want 1", attr(m, c, "variable"), len(values))
			continue
		}
		got[attr(m, c, "test")+" "+attr(m, c, "variable")] = values[0].AsString()
	}
	want := map[string]string{
		"StringEquals token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
		"StringEquals token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main",
	}
	if !maps.Equal(got, want) {
		t.Errorf("github_deploy_assume conditions %v, want exactly %v", got, want)
	}
}

// An account holds one GitHub OIDC provider: with a repository, terraform/aws either creates it
// or looks up the existing one (github_oidc_provider_enabled), never both; without one, neither.
func TestTerraformAWSGitHubOIDCProviderCreatedOrLookedUp(t *testing.T) {
	m := Load(t, "terraform/aws")
	created := m.Must(t, "resource", "aws_iam_openid_connect_provider", "github")
	found := m.Must(t, "data", "aws_iam_openid_connect_provider", "github")
	repo := cty.StringVal("octo-org/octo-repo")
	for _, c := range []struct {
		vars          Vars
		create, found int
	}{
		{Vars{}, 0, 0},
		{Vars{"github_repository": repo}, 1, 0},
		{Vars{"github_repository": repo, "github_oidc_provider_enabled": cty.False}, 0, 1},
	} {
		if got := [2]int{m.Count(t, created, c.vars), m.Count(t, found, c.vars)}; got != [2]int{c.create, c.found} {
			t.Errorf("variables %v: %d created and %d looked-up OIDC providers, want %d and %d", c.vars, got[0], got[1], c.create, c.found)
		}
	}
}
