package tfcheck

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"sigs.k8s.io/yaml"

	"github.com/acme/objects-api/src/internal/testutil"
)

// The deploy workflow and the role it assumes (terraform/aws/github.tf) are held to each other.

const deployWorkflow = ".github/workflows/deploy.yml"

// ecrPush is what pushing an image to an ECR repository needs (docker's layer checks, uploads,
// and the manifest put, plus the manifest read buildx does first).
var ecrPush = []string{
	"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
	"ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
}

// actionCalls is the AWS API each action calls with the job's credentials. An action the
// workflow adds must be listed here before the test passes.
var actionCalls = map[string][]string{
	"actions/checkout": nil,
	// Its sts:AssumeRoleWithWebIdentity is the trust policy's business, not the role's.
	"aws-actions/configure-aws-credentials": nil,
	"aws-actions/amazon-ecr-login":          {"ecr:GetAuthorizationToken"},
	"docker/setup-qemu-action":              nil,
	"docker/setup-buildx-action":            nil,
	"docker/build-push-action":              nil, // ecrPush when its input push is true
}

// cliExtra is what an aws CLI command needs besides the API operation of its own name.
var cliExtra = map[string][]string{
	// A task definition names the task and execution roles; registering it passes them.
	"ecs register-task-definition": {"iam:PassRole"},
	// Waiters poll a describe call.
	"ecs wait services-stable": {"ecs:DescribeServices"},
}

type workflow struct {
	Jobs map[string]struct {
		Steps []struct {
			Uses string         `json:"uses"`
			With map[string]any `json:"with"`
			Run  string         `json:"run"`
		} `json:"steps"`
	} `json:"jobs"`
}

// workflowCalls returns the IAM actions the deploy workflow's steps need.
func workflowCalls(t *testing.T) map[string]bool {
	t.Helper()
	var wf workflow
	if err := yaml.Unmarshal(testutil.ReadFile(t, deployWorkflow), &wf); err != nil {
		t.Fatal(err)
	}
	// aws <service> [wait] <command>, once line continuations are joined.
	cli := regexp.MustCompile(`\baws\s+([a-z0-9-]+)\s+((?:wait\s+)?[a-z0-9-]+)`)
	calls := make(map[string]bool)
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			if s.Uses != "" {
				name, _, _ := strings.Cut(s.Uses, "@")
				needs, known := actionCalls[name]
				if !known {
					t.Errorf("%s uses %s: add what it calls in AWS to actionCalls", deployWorkflow, name)
				}
				if name == "docker/build-push-action" && s.With["push"] == true {
					needs = ecrPush
				}
				for _, a := range needs {
					calls[a] = true
				}
			}
			for _, c := range cli.FindAllStringSubmatch(strings.ReplaceAll(s.Run, "\\\n", " "), -1) {
				service, command := c[1], strings.Join(strings.Fields(c[2]), " ")
				needs, extra := cliExtra[service+" "+command]
				if !strings.HasPrefix(command, "wait ") {
					needs = append(needs, service+":"+operation(command))
				} else if !extra {
					t.Errorf("%s: aws %s %s: add the call the waiter polls to cliExtra", deployWorkflow, service, command)
				}
				for _, a := range needs {
					calls[a] = true
				}
			}
		}
	}
	return calls
}

// operation is the API operation of an aws CLI command: describe-task-definition is
// DescribeTaskDefinition.
func operation(command string) string {
	var b strings.Builder
	for _, w := range strings.Split(command, "-") {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// The deploy role may call exactly what deploy.yml calls: a call without its permission fails
// the rollout with AccessDenied, a permission without its call is access nobody needs. Pushes
// go to this repository only, service calls to this service only, and the only roles it may
// pass are the task's two.
func TestDeployRoleAllowsExactlyWhatTheWorkflowDoes(t *testing.T) {
	m := Load(t, "terraform/aws")
	rp := m.Must(t, "resource", "aws_iam_role_policy", "github_deploy")
	if attr(m, rp, "role") != "aws_iam_role.github_deploy[0].id" || attr(m, rp, "policy") != "data.aws_iam_policy_document.github_deploy.json" {
		t.Fatal("aws_iam_role_policy.github_deploy: want the github_deploy policy document on the github_deploy role")
	}
	resources := make(map[string][]string) // action -> resources
	for _, s := range m.Policy(t, "github_deploy") {
		if s.Effect != "" && s.Effect != "Allow" {
			t.Errorf("github_deploy: want only Allow statements, got %+v", s)
		}
		for _, a := range s.Actions {
			resources[a] = append(resources[a], s.Resources...)
		}
	}
	calls := workflowCalls(t)
	if want, got := slices.Sorted(maps.Keys(calls)), slices.Sorted(maps.Keys(resources)); !slices.Equal(want, got) {
		t.Errorf("the deploy role allows %v\nbut %s calls %v", got, deployWorkflow, want)
	}
	for actions, want := range map[string][]string{
		strings.Join(ecrPush, " "):               {"aws_ecr_repository.this.arn"},
		"ecs:DescribeServices ecs:UpdateService": {"aws_ecs_service.this.arn"},
		"iam:PassRole":                           {"aws_iam_role.task.arn", "aws_iam_role.execution.arn"},
	} {
		for _, a := range strings.Fields(actions) {
			if got := resources[a]; !slices.Equal(got, want) {
				t.Errorf("github_deploy: %s on %v, want %v", a, got, want)
			}
		}
	}
}

// Every action in every workflow is pinned to a full commit SHA, with the release it is in a
// comment: a tag can be moved to other code, a commit cannot.
func TestWorkflowActionsArePinned(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testutil.RepoRoot(t), ".github/workflows/*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows (%v)", err)
	}
	uses := regexp.MustCompile(`^\s*(?:-\s+)?uses:\s*(\S+)`)
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(\.\d+)*$`)
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if u := uses.FindStringSubmatch(line); u != nil && !strings.HasPrefix(u[1], "./") {
				if !pinned.MatchString(strings.TrimSpace(line[strings.Index(line, u[1]):])) {
					t.Errorf("%s:%d: %s: want owner/repo@<40-hex commit> # vX.Y.Z", filepath.Base(name), i+1, strings.TrimSpace(line))
				}
			}
		}
	}
}

// The repository variables deploy.yml reads are exactly those terraform/aws's
// github_actions_variables output gives, so setting them from the output leaves none out.
func TestDeployWorkflowVariablesComeFromTerraform(t *testing.T) {
	used := make(map[string]bool)
	for _, v := range regexp.MustCompile(`\bvars\.(\w+)`).FindAllStringSubmatch(string(testutil.ReadFile(t, deployWorkflow)), -1) {
		used[v[1]] = true
	}
	m := Load(t, "terraform/aws")
	value := m.Must(t, "output", "github_actions_variables").Body.Attributes["value"].Expr
	if c, ok := value.(*hclsyntax.ConditionalExpr); ok {
		value = c.TrueResult
	}
	obj, ok := value.(*hclsyntax.ObjectConsExpr)
	if !ok {
		t.Fatal("output github_actions_variables: want an object (or a condition choosing one)")
	}
	given := make(map[string]bool)
	for _, it := range obj.Items {
		given[hcl.ExprAsKeyword(it.KeyExpr)] = true
	}
	if !maps.Equal(used, given) {
		t.Errorf("%s reads vars %v; terraform/aws's github_actions_variables gives %v", deployWorkflow, slices.Sorted(maps.Keys(used)), slices.Sorted(maps.Keys(given)))
	}
}
