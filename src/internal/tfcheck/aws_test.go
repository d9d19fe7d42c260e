package tfcheck

import (
	"maps"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// terraform/aws has every part of the deployment issue 13 asks for.
func TestTerraformAWSResources(t *testing.T) {
	m := Load(t, "terraform/aws")
	for _, r := range [][]string{
		{"module", "table"},
		{"resource", "aws_ecr_repository", "this"},
		{"resource", "aws_ecs_cluster", "this"},
		{"resource", "aws_ecs_task_definition", "this"},
		{"resource", "aws_ecs_service", "this"},
		{"resource", "aws_lb", "this"},
		{"resource", "aws_lb_target_group", "this"},
		{"resource", "aws_lb_listener", "this"},
		{"resource", "aws_lb_listener", "http_redirect"},
		{"resource", "aws_iam_role", "task"},
		{"resource", "aws_iam_role", "execution"},
		{"resource", "aws_cloudwatch_log_group", "this"},
		{"resource", "aws_appautoscaling_target", "this"},
		{"resource", "aws_appautoscaling_policy", "cpu"},
		{"resource", "aws_security_group", "alb"},
		{"resource", "aws_security_group", "tasks"},
	} {
		m.Must(t, r[0], r[1:]...)
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

// How the tasks run and are checked: the ALB probes liveness (/healthz), the container runs
// `/api healthcheck -liveness` (the prod image is scratch; liveness, so that a DynamoDB outage
// does not make ECS replace every task), ECS waits longer than the API's 10 s graceful
// shutdown, the configuration is AWS's (no endpoint, no keys, JSON logs, DELETE /objects off by
// default), and at least 2 tasks run.
func TestTerraformAWSService(t *testing.T) {
	m := Load(t, "terraform/aws")
	hc := Nested(m.Must(t, "resource", "aws_lb_target_group", "this"), "health_check")
	if len(hc) != 1 {
		t.Fatal("aws_lb_target_group.this: want one health_check block")
	}
	for _, c := range []struct{ what, got, want string }{
		{"target group health_check.path", attr(m, hc[0], "path"), "/healthz"},
		{"target group target_type (awsvpc tasks)", attr(m, m.Must(t, "resource", "aws_lb_target_group", "this"), "target_type"), "ip"},
		{"service launch_type", attr(m, m.Must(t, "resource", "aws_ecs_service", "this"), "launch_type"), "FARGATE"},
		{"service desired_count", attr(m, m.Must(t, "resource", "aws_ecs_service", "this"), "desired_count"), "var.autoscaling_min_capacity"},
		{"container healthCheck.command", m.Text(field(field(container(t, m), "healthCheck"), "command")), `["CMD", "/api", "healthcheck", "-liveness"]`},
		{"delete_all_enabled default", attr(m, m.Must(t, "variable", "delete_all_enabled"), "default"), "false"},
	} {
		if c.got != c.want {
			t.Errorf("terraform/aws: %s is %q, want %q", c.what, c.got, c.want)
		}
	}

	if rp := Nested(m.Must(t, "resource", "aws_ecs_task_definition", "this"), "runtime_platform"); len(rp) != 1 || attr(m, rp[0], "cpu_architecture") != "var.cpu_architecture" {
		t.Error("task definition: want runtime_platform.cpu_architecture = var.cpu_architecture")
	}
	if s, _ := strconv.Atoi(m.Text(field(container(t, m), "stopTimeout"))); s <= 10 {
		t.Errorf("container stopTimeout %d s: want more than the API's 10 s graceful shutdown", s)
	}
	if n, _ := strconv.Atoi(attr(m, m.Must(t, "variable", "autoscaling_min_capacity"), "default")); n < 2 {
		t.Errorf("autoscaling_min_capacity default %d: want at least 2 tasks", n)
	}

	env := make(map[string]string)
	list, _ := field(container(t, m), "environment").(*hclsyntax.TupleConsExpr)
	if list == nil {
		t.Fatal("container environment: want a list of {name, value}")
	}
	for _, e := range list.Exprs {
		env[m.Text(field(e, "name"))] = m.Text(field(e, "value"))
	}
	want := map[string]string{
		"AWS_REGION":         "var.region",
		"DDB_TABLE_NAME":     "module.table.dynamodb_table_name",
		"DDB_HASH_KEY_NAME":  "module.table.dynamodb_table_hash_key_name",
		"DELETE_ALL_ENABLED": "tostring(var.delete_all_enabled)",
		"LOG_FORMAT":         "json",
		"PORT":               "tostring(local.container_port)",
	}
	if !maps.Equal(env, want) {
		t.Errorf("container environment %v, want exactly %v: on AWS the API needs no endpoint and no keys", env, want)
	}
}

// Not open to the whole internet by default: the ALB admits only var.allowed_cidr_blocks, which
// has no default; the tasks admit only the ALB's security group. (HTTPS: aws_safe_test.go.)
func TestTerraformAWSExposure(t *testing.T) {
	m := Load(t, "terraform/aws")
	if def, ok := m.Attr(m.Must(t, "variable", "allowed_cidr_blocks"), "default"); ok {
		t.Errorf("allowed_cidr_blocks has default %s; callers must choose", def)
	}
	for _, b := range m.Blocks {
		if b.Type != "resource" || b.Labels[0] != "aws_vpc_security_group_ingress_rule" {
			continue
		}
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

func attr(m *Module, b *hclsyntax.Block, name string) string {
	v, _ := m.Attr(b, name)
	return v
}
