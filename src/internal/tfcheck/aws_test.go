package tfcheck

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Settings each module must keep, one line each: `terraform validate` (hosted workflow) checks
// their form, not their values. Address is "type labels...", path "block.block.attribute"; a want
// of "" means unset.
func TestTerraformSafeSettings(t *testing.T) {
	for _, c := range []struct{ dir, address, path, want, why string }{
		{"terraform/aws", "resource aws_lb this", "desync_mitigation_mode", "strictest", "requests an HTTP desync could exploit are refused"},
		{"terraform/aws", "resource aws_lb this", "access_logs.enabled", "true", "the ALB logs every request"},
		{"terraform/aws", "resource aws_lb_target_group this", "health_check.path", "/healthz", "liveness: a DynamoDB outage must not take every task out"},
		{"terraform/aws", "resource aws_ecs_service this", "deployment_circuit_breaker.enable", "true", "a deployment that never becomes healthy is stopped"},
		{"terraform/aws", "resource aws_ecs_service this", "deployment_circuit_breaker.rollback", "true", "... and rolled back"},
		{"terraform/aws", "resource aws_ecr_repository this", "image_tag_mutability", "IMMUTABLE", "a tag names one build"},
		{"terraform/aws", "resource aws_ecr_repository this", "image_scanning_configuration.scan_on_push", "true", "every push is scanned"},
		{"terraform/aws", "variable delete_all_enabled", "default", "false", "DELETE /objects is off unless asked for"},
		{"terraform/aws", "variable allowed_cidr_blocks", "default", "", "who may reach the ALB is the caller's choice"},
		{"terraform", "resource aws_dynamodb_table this", "point_in_time_recovery.enabled", "var.point_in_time_recovery_enabled", "each root chooses"},
		{"terraform/aws", "module table", "point_in_time_recovery_enabled", "true", "the real table can be restored"},
		{"terraform/local", "module table", "point_in_time_recovery_enabled", "false", "DynamoDB Local has no continuous backups"},
		{"terraform/bootstrap", "resource aws_s3_bucket_versioning state", "versioning_configuration.status", "Enabled", "state can be rolled back"},
		{"terraform/bootstrap", "resource aws_s3_bucket_versioning state", "bucket", "aws_s3_bucket.state.id", "the state bucket is the versioned one"},
	} {
		m := Load(t, c.dir)
		f := strings.Fields(c.address)
		b := m.Must(t, f[0], f[1:]...)
		steps := strings.Split(c.path, ".")
		for _, s := range steps[:len(steps)-1] {
			b = only(t, b, s)
		}
		if got := attr(m, b, steps[len(steps)-1]); got != c.want {
			t.Errorf("%s: %s %s = %q, want %q: %s", c.dir, c.address, c.path, got, c.want, c.why)
		}
	}

	m := Load(t, "terraform/aws")
	if !m.Valid(t, Vars{"autoscaling_min_capacity": cty.NumberIntVal(2)}, "autoscaling_min_capacity") ||
		m.Valid(t, Vars{"autoscaling_min_capacity": cty.NumberIntVal(1)}, "autoscaling_min_capacity") {
		t.Error("autoscaling_min_capacity: want a plan to need at least 2 tasks")
	}
	c := container(t, m)
	if got := m.Text(field(field(c, "healthCheck"), "command")); got != `["CMD", "/api", "healthcheck", "-liveness"]` {
		t.Errorf("container healthCheck %s: want `/api healthcheck -liveness` (the prod image is scratch; liveness, as the ALB's)", got)
	}
	if s, _ := strconv.Atoi(m.Text(field(c, "stopTimeout"))); s <= 10 {
		t.Errorf("container stopTimeout %d s: want more than the API's 10 s graceful shutdown", s)
	}
	if strings.Contains(m.Text(field(c, "environment")), "DDB_ENDPOINT_URL") {
		t.Error("container environment sets DDB_ENDPOINT_URL: on AWS the SDK resolves the endpoint")
	}
	var policy struct {
		Rules []struct {
			Selection struct{ CountType string }
			Action    struct{ Type string }
		}
	}
	p := m.Must(t, "resource", "aws_ecr_lifecycle_policy", "this")
	if err := json.Unmarshal([]byte(m.Eval(t, p.Body.Attributes["policy"].Expr, Vars{}).AsString()), &policy); err != nil ||
		len(policy.Rules) == 0 || policy.Rules[0].Action.Type != "expire" || policy.Rules[0].Selection.CountType != "imageCountMoreThan" ||
		attr(m, p, "repository") != "aws_ecr_repository.this.name" {
		t.Errorf("aws_ecr_lifecycle_policy.this: want the repository's images beyond the newest expired (%v)", err)
	}
}

// Not open to the whole internet by default: the ALB admits only var.allowed_cidr_blocks (no
// default: TestTerraformSafeSettings); the tasks admit only the ALB's security group. (HTTPS:
// aws_safe_test.go.)
func TestTerraformAWSExposure(t *testing.T) {
	m := Load(t, "terraform/aws")
	for _, b := range resources(m, "aws_vpc_security_group_ingress_rule") {
		switch attr(m, b, "security_group_id") {
		case "aws_security_group.alb.id":
			if cidr := attr(m, b, "cidr_ipv4"); cidr != "each.value.cidr" || !strings.Contains(attr(m, b, "for_each"), "var.allowed_cidr_blocks") {
				t.Errorf("ALB ingress %s: cidr_ipv4 %q; want each.value.cidr over var.allowed_cidr_blocks", b.Labels[1], cidr)
			}
		case "aws_security_group.tasks.id":
			if src := attr(m, b, "referenced_security_group_id"); src != "aws_security_group.alb.id" {
				t.Errorf("tasks ingress %s: from %q, want only the ALB's security group", b.Labels[1], src)
			}
		default:
			t.Errorf("ingress rule %s on an unexpected security group", b.Labels[1])
		}
	}
}

// field returns the value of key in an object constructor ({key = value, ...}), or nil.
func field(e hclsyntax.Expression, key string) hclsyntax.Expression {
	obj, ok := e.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil
	}
	for _, it := range obj.Items {
		if hcl.ExprAsKeyword(it.KeyExpr) == key {
			return it.ValueExpr
		}
	}
	return nil
}

// container returns the single container of the task definition's jsonencode([{...}]).
func container(t *testing.T, m *Module) hclsyntax.Expression {
	t.Helper()
	td := m.Must(t, "resource", "aws_ecs_task_definition", "this")
	call, ok := td.Body.Attributes["container_definitions"].Expr.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "jsonencode" || len(call.Args) != 1 {
		t.Fatal("container_definitions: want jsonencode([{...}])")
	}
	list, ok := call.Args[0].(*hclsyntax.TupleConsExpr)
	if !ok || len(list.Exprs) != 1 {
		t.Fatal("container_definitions: want exactly one container")
	}
	return list.Exprs[0]
}

// resources returns the resource blocks of type typ.
func resources(m *Module, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range m.Blocks {
		if b.Type == "resource" && b.Labels[0] == typ {
			out = append(out, b)
		}
	}
	return out
}

// only returns the single nested block typ of b, failing the test otherwise.
func only(t *testing.T, b *hclsyntax.Block, typ string) *hclsyntax.Block {
	t.Helper()
	n := Nested(b, typ)
	if len(n) != 1 {
		t.Fatalf("%s %v: want one %s block, got %d", b.Type, b.Labels, typ, len(n))
	}
	return n[0]
}

func attr(m *Module, b *hclsyntax.Block, name string) string {
	v, _ := m.Attr(b, name)
	return v
}
