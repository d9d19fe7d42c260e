package store_test

import (
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/acme/objects-api/src/internal/tfcheck"
	"github.com/acme/objects-api/src/store"
)

// The task role on AWS (terraform/aws) may call exactly the DynamoDB operations in store.API, the
// interface through which the store makes every call, and only on the table: a call without
// its permission fails in production with AccessDenied, a permission without its call is access
// nobody needs.
func TestIAMPolicyGrantsExactlyTheStoreAPI(t *testing.T) {
	api := reflect.TypeFor[store.API]()
	want := make(map[string]bool)
	for i := range api.NumMethod() {
		want["dynamodb:"+api.Method(i).Name] = true
	}

	m := tfcheck.Load(t, "terraform/aws")
	// The policy below is the one ECS gives the API's container.
	for _, c := range []struct {
		block      []string
		attr, want string
	}{
		{[]string{"resource", "aws_ecs_task_definition", "this"}, "task_role_arn", "aws_iam_role.task.arn"},
		{[]string{"resource", "aws_iam_role_policy", "task"}, "role", "aws_iam_role.task.id"},
		{[]string{"resource", "aws_iam_role_policy", "task"}, "policy", "data.aws_iam_policy_document.task.json"},
	} {
		if got, _ := m.Attr(m.Must(t, c.block[0], c.block[1:]...), c.attr); got != c.want {
			t.Errorf("%s %v: %s = %q, want %s", m.Dir, c.block[1:], c.attr, got, c.want)
		}
	}

	got := make(map[string]bool)
	for _, s := range m.Policy(t, "task") {
		if (s.Effect != "" && s.Effect != "Allow") || s.NotActions || s.NotResources {
			t.Errorf("task policy: want only Allow statements with actions and resources, got %+v", s)
		}
		if want := []string{"module.table.dynamodb_table_arn"}; !slices.Equal(s.Resources, want) {
			t.Errorf("task policy statement %v: resources %q, want only the table's ARN %q", s.Actions, s.Resources, want)
		}
		for _, a := range s.Actions {
			got[a] = true
		}
	}
	for _, a := range slices.Sorted(maps.Keys(want)) {
		if !got[a] {
			t.Errorf("store.API calls %s, but terraform/aws's task policy does not grant it", a)
		}
	}
	for _, a := range slices.Sorted(maps.Keys(got)) {
		if !want[a] {
			t.Errorf("terraform/aws's task policy grants %s, which store.API does not call", a)
		}
	}
	if len(want) == 0 {
		t.Fatal("store.API has no methods: nothing to compare")
	}
}
