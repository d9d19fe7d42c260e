package stackcheck

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/acme/objects-api/src/internal/testutil"
)

// table is what terraform/main.tf's aws_dynamodb_table.this evaluates to.
type table struct {
	name, hashKey, billingMode string
	attrName, attrType         string
}

// tableFromHCL evaluates aws_dynamodb_table.this with the module's variables set to vars.
func tableFromHCL(t *testing.T, vars map[string]string) table {
	t.Helper()
	var res *hcl.Block
	for _, b := range blocks(t, "terraform/main.tf", "resource", "type", "name") {
		if b.Labels[0] == "aws_dynamodb_table" && b.Labels[1] == "this" {
			res = b
		}
	}
	if res == nil {
		t.Fatal("terraform/main.tf: no resource aws_dynamodb_table.this")
	}
	ctx := varContext(vars)
	vals, nested := attrs(t, res.Body, ctx, []string{"name", "hash_key", "billing_mode"}, "attribute")
	if len(nested) != 1 {
		t.Fatalf("terraform/main.tf: want exactly one attribute block (the hash key), got %d", len(nested))
	}
	a, _ := attrs(t, nested[0].Body, ctx, []string{"name", "type"}, "")
	return table{
		name:        str(t, "aws_dynamodb_table.this.name", vals["name"]),
		hashKey:     str(t, "aws_dynamodb_table.this.hash_key", vals["hash_key"]),
		billingMode: str(t, "aws_dynamodb_table.this.billing_mode", vals["billing_mode"]),
		attrName:    str(t, "aws_dynamodb_table.this.attribute.name", a["name"]),
		attrType:    str(t, "aws_dynamodb_table.this.attribute.type", a["type"]),
	}
}

// assertTable compares a table definition with what docker-compose.yml configures the API with.
func assertTable(t *testing.T, got table, api map[string]string) {
	t.Helper()
	for _, c := range []struct{ what, got, want string }{
		{"table name vs api DDB_TABLE_NAME", got.name, api["DDB_TABLE_NAME"]},
		{"hash_key vs api DDB_HASH_KEY_NAME", got.hashKey, api["DDB_HASH_KEY_NAME"]},
		{"attribute name vs hash_key", got.attrName, got.hashKey},
		{"attribute type (the API stores UUID strings)", got.attrType, "S"},
		{"billing mode", got.billingMode, "PAY_PER_REQUEST"},
	} {
		if c.want == "" || c.got != c.want {
			t.Errorf("%s: terraform has %q, want %q", c.what, c.got, c.want)
		}
	}
}

// The table the compose stack creates (terraform/local -> module "table" with compose's
// TF_VAR_*) is the one the api service is configured to use.
func TestComposeTerraformJobCreatesTheAPIsTable(t *testing.T) {
	c := loadCompose(t, "docker-compose.yml")
	api, job := c.Services["api"].Environment, c.Services["terraform"].Environment
	if api == nil || job == nil {
		t.Fatal("docker-compose.yml: services api and terraform need an environment")
	}

	declared := variables(t, "terraform/local/variables.tf")
	local := make(map[string]string)
	for name, def := range declared {
		if def != cty.NilVal && !def.IsNull() {
			local[name] = str(t, "default of variable "+name, def)
		}
	}
	for k, v := range job {
		name, ok := strings.CutPrefix(k, "TF_VAR_")
		if !ok {
			continue
		}
		if _, ok := declared[name]; !ok {
			t.Errorf("docker-compose.yml passes %s, but terraform/local declares no variable %q", k, name)
		}
		local[name] = v
	}
	for name := range declared {
		if _, ok := local[name]; !ok {
			t.Errorf("terraform/local variable %q has no default and docker-compose.yml passes no TF_VAR_%s", name, name)
		}
	}

	var mod *hcl.Block
	for _, b := range blocks(t, "terraform/local/main.tf", "module", "name") {
		if b.Labels[0] == "table" {
			mod = b
		}
	}
	if mod == nil {
		t.Fatal(`terraform/local/main.tf: no module "table"`)
	}
	args, _ := attrs(t, mod.Body, varContext(local), []string{"source", "table_name", "hash_key_name"}, "")
	if src := str(t, "module.table.source", args["source"]); src != "../" {
		t.Errorf(`module "table" source is %q; want "../" (the same table definition as real AWS)`, src)
	}
	assertTable(t, tableFromHCL(t, map[string]string{
		"table_name":    str(t, "module.table.table_name", args["table_name"]),
		"hash_key_name": str(t, "module.table.hash_key_name", args["hash_key_name"]),
	}), api)

	for _, c := range []struct{ what, got, want string }{
		{"TF_VAR_region vs api AWS_REGION", job["TF_VAR_region"], api["AWS_REGION"]},
		{"TF_VAR_dynamodb_endpoint vs api DDB_ENDPOINT_URL", job["TF_VAR_dynamodb_endpoint"], api["DDB_ENDPOINT_URL"]},
		{"AWS_ACCESS_KEY_ID", job["AWS_ACCESS_KEY_ID"], api["AWS_ACCESS_KEY_ID"]},
		{"AWS_SECRET_ACCESS_KEY", job["AWS_SECRET_ACCESS_KEY"], api["AWS_SECRET_ACCESS_KEY"]},
	} {
		if c.want == "" || c.got != c.want {
			t.Errorf("docker-compose.yml: terraform job's %s: %q, api's: %q", c.what, c.got, c.want)
		}
	}
}

// Applying terraform/ on its own (real AWS, variables left at their defaults) creates the same
// table the compose stack does.
func TestModuleDefaultsDescribeTheAPIsTable(t *testing.T) {
	api := loadCompose(t, "docker-compose.yml").Services["api"].Environment
	defs := variables(t, "terraform/variables.tf")
	vars := make(map[string]string)
	for _, name := range []string{"table_name", "hash_key_name"} {
		vars[name] = str(t, "default of variable "+name, defs[name])
	}
	assertTable(t, tableFromHCL(t, vars), api)
}

// hashicorp/aws stays an exact version below 6.13.0: from 6.13.0 the provider waits for
// WarmThroughput, which DynamoDB Local never reports.
func TestAWSProviderPinnedBelow6_13(t *testing.T) {
	tf := blocks(t, "terraform/versions.tf", "terraform")
	if len(tf) != 1 {
		t.Fatalf("terraform/versions.tf: want one terraform block, got %d", len(tf))
	}
	_, rp := attrs(t, tf[0].Body, nil, nil, "required_providers")
	if len(rp) != 1 {
		t.Fatal("terraform/versions.tf: no required_providers block")
	}
	all, diags := rp[0].Body.JustAttributes()
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	aws, ok := all["aws"]
	if !ok {
		t.Fatal("terraform/versions.tf: required_providers has no aws")
	}
	v, diags := aws.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if src := str(t, "aws.source", v.GetAttr("source")); src != "hashicorp/aws" {
		t.Errorf("aws provider source is %q, want hashicorp/aws", src)
	}
	version := str(t, "aws.version", v.GetAttr("version"))
	m := regexp.MustCompile(`^=?\s*(\d+)\.(\d+)\.(\d+)$`).FindStringSubmatch(version)
	if m == nil {
		t.Fatalf("aws provider version %q: want an exact version (X.Y.Z)", version)
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	if major > 6 || (major == 6 && minor >= 13) {
		t.Errorf("aws provider version %s: must stay below 6.13.0", version)
	}
}

// CI's stand-in for the terraform job (offline/compose.yml) keeps compose's variables and
// creates the table with main.tf's billing mode.
func TestOfflineTableJobMatchesModule(t *testing.T) {
	off := loadCompose(t, "offline/compose.yml")
	job, ok := off.Services["terraform"]
	if !ok {
		t.Fatal("offline/compose.yml: no terraform service override")
	}
	if job.Environment != nil {
		t.Errorf("offline/compose.yml overrides the terraform job's environment; it must use docker-compose.yml's TF_VAR_* unchanged")
	}
	script, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "offline/table-job.sh"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^billing_mode=(\S+)$`).FindSubmatch(script)
	if m == nil {
		t.Fatal("offline/table-job.sh: no billing_mode=... line")
	}
	want := tableFromHCL(t, map[string]string{"table_name": "x", "hash_key_name": "k"}).billingMode
	if string(m[1]) != want {
		t.Errorf("offline/table-job.sh creates %s tables; terraform/main.tf says %s", m[1], want)
	}
	if !strings.Contains(string(script), `AttributeType: "S"`) {
		t.Error(`offline/table-job.sh: hash key attribute must be AttributeType "S", like terraform/main.tf`)
	}
}

// Every image compose runs is pinned to a tag, and DynamoDB Local shares one database.
func TestComposeImagesPinnedAndDatabaseShared(t *testing.T) {
	c := loadCompose(t, "docker-compose.yml")
	for name, s := range c.Services {
		if s.Image == "" {
			t.Errorf("service %s: no image name", name)
			continue
		}
		if _, tag, ok := strings.Cut(s.Image, ":"); !ok || tag == "" || tag == "latest" {
			t.Errorf("service %s: image %q is not pinned to a tag", name, s.Image)
		}
	}
	cmd := strings.Join(c.Services["dynamodb"].Command, " ")
	for _, flag := range []string{"-sharedDb", "-inMemory", "-disableTelemetry"} {
		if !strings.Contains(cmd, flag) {
			t.Errorf("dynamodb command %q lacks %s", cmd, flag)
		}
	}
}
