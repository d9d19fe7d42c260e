package tfcheck

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Every IAM policy document in every module names its actions one by one (no "*", no
// not_actions) on explicit resources (trust policies: principals and no resources; resource
// policies such as a bucket's: both); "*" as a resource only where IAM allows nothing else.
func TestTerraformPoliciesNameEveryAction(t *testing.T) {
	action := regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9]+$`)
	// Actions without resource-level permissions, for which IAM requires "*" (the Service
	// Authorization Reference lists no resource type for them).
	noResourceLevel := []string{"ecr:GetAuthorizationToken", "ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"}
	trust := func(a string) bool { return strings.HasPrefix(a, "sts:AssumeRole") }
	for _, dir := range modules {
		m := Load(t, dir)
		for _, b := range m.Blocks {
			if b.Type != "data" || b.Labels[0] != "aws_iam_policy_document" {
				continue
			}
			for _, s := range m.Policy(t, b.Labels[1]) {
				trusts := len(s.Actions) > 0 && !slices.ContainsFunc(s.Actions, func(a string) bool { return !trust(a) })
				if s.NotActions || s.NotResources || len(s.Actions) == 0 || (len(s.Resources) == 0) != trusts || (trusts && !s.Principals) {
					t.Errorf("%s policy %s: want explicit actions and resources, got %+v", dir, b.Labels[1], s)
				}
				for _, a := range s.Actions {
					if !action.MatchString(a) {
						t.Errorf("%s policy %s: action %q is not one explicit action (no wildcards)", dir, b.Labels[1], a)
					}
				}
				for _, r := range s.Resources {
					if r == "*" && slices.ContainsFunc(s.Actions, func(a string) bool { return !slices.Contains(noResourceLevel, a) }) {
						t.Errorf(`%s policy %s: resource "*" for %v; only %v may have it`, dir, b.Labels[1], s.Actions, noResourceLevel)
					}
				}
			}
		}
	}
}

// No credentials in any module, nor a variable or environment entry for them (a key itself is
// `make secrets`' business): AWS roots take them from the environment, the API on AWS from its
// task role. The one exception is terraform/local's provider, whose obvious dummies are
// what DynamoDB Local accepts.
func TestTerraformNoInlineCredentials(t *testing.T) {
	credentialAttr := map[string]bool{"access_key": true, "secret_key": true, "token": true}
	dummies := map[string]string{"access_key": "localkey", "secret_key": "localsecret"}
	credentialText := regexp.MustCompile(`AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)|aws_secret|password`)
	for _, dir := range modules {
		m := Load(t, dir)
		for name, src := range m.src {
			if loc := credentialText.FindIndex(src); loc != nil {
				t.Errorf("%s: %q: credentials (or a variable holding them) do not belong in Terraform", name, src[loc[0]:loc[1]])
			}
		}
		for _, b := range m.Blocks {
			walk(b, func(path string, blk *hclsyntax.Block) {
				for name := range blk.Body.Attributes {
					if !credentialAttr[name] {
						continue
					}
					got, _ := m.Attr(blk, name)
					if dir != "terraform/local" || path != "provider" || got != dummies[name] {
						t.Errorf("%s: %s sets %s; credentials come from the environment or the task role", dir, path, name)
					}
				}
			}, b.Type)
		}
	}
}

// walk calls fn for b and every block nested in it, with the path of block types.
func walk(b *hclsyntax.Block, fn func(path string, b *hclsyntax.Block), path string) {
	fn(path, b)
	for _, n := range b.Body.Blocks {
		walk(n, fn, path+"."+n.Type)
	}
}
