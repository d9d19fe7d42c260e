package tfcheck

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"sigs.k8s.io/yaml"

	"github.com/acme/objects-api/src/openapi"
)

var certificate = cty.StringVal("arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000")

// A plan needs a certificate (HTTPS) or http_enabled (plain HTTP, asked for by name), not
// neither and not both; with a certificate every forwarding listener is HTTPS and HTTP only
// redirects to it.
func TestTerraformAWSListenersAreHTTPSUnlessHTTPIsAsked(t *testing.T) {
	m := Load(t, "terraform/aws")
	for _, bad := range []Vars{{}, {"certificate_arn": certificate, "http_enabled": cty.True}} {
		if m.Valid(t, bad, "certificate_arn", "http_enabled") {
			t.Errorf("variables %v pass validation; want a plan to need exactly one of certificate_arn and http_enabled", bad)
		}
	}
	for name, c := range map[string]struct {
		vars    Vars
		forward string // the protocol of the listener that forwards to the tasks
	}{
		"certificate":  {Vars{"certificate_arn": certificate}, "HTTPS"},
		"http_enabled": {Vars{"http_enabled": cty.True}, "HTTP"},
	} {
		t.Run(name, func(t *testing.T) {
			if !m.Valid(t, c.vars, "certificate_arn", "http_enabled") {
				t.Fatalf("variables %v fail validation", c.vars)
			}
			forwards := 0
			for _, l := range resources(m, "aws_lb_listener") {
				if m.Count(t, l, c.vars) == 0 {
					continue
				}
				protocol := m.Eval(t, l.Body.Attributes["protocol"].Expr, c.vars).AsString()
				action := only(t, l, "default_action")
				switch attr(m, action, "type") {
				case "forward":
					forwards++
					if protocol != c.forward {
						t.Errorf("listener %s forwards over %s, want %s", l.Labels[1], protocol, c.forward)
					}
				case "redirect":
					if r := only(t, action, "redirect"); attr(m, r, "protocol") != "HTTPS" || protocol != "HTTP" {
						t.Errorf("listener %s: want HTTP redirected to HTTPS", l.Labels[1])
					}
				default:
					t.Errorf("listener %s: unexpected default action %q", l.Labels[1], attr(m, action, "type"))
				}
			}
			if forwards != 1 {
				t.Errorf("%d listeners forward to the tasks, want 1", forwards)
			}
		})
	}
}

// albPattern is an ALB path pattern as a regular expression: case-sensitive, '*' any run of
// characters, '?' one character, the whole path.
func albPattern(p string) *regexp.Regexp {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return regexp.MustCompile("^" + b.String() + "$")
}

// /metrics, /readyz, the docs page with its assets and the OpenAPI document are answered 404 by
// the load balancer in front of every forwarding listener unless operational_paths_enabled,
// and no other path of the API document is.
func TestTerraformAWSOperationalPathsAreNotServed(t *testing.T) {
	m := Load(t, "terraform/aws")
	operational := []string{"/metrics", "/readyz", "/docs", "/openapi.json", "/openapi.yaml"}
	err := fs.WalkDir(openapi.Docs(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			operational = append(operational, "/docs/"+p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]any `json:"paths"`
	}
	if err := yaml.Unmarshal(openapi.YAML(), &doc); err != nil || len(doc.Paths) == 0 {
		t.Fatalf("openapi.yaml: no paths (%v)", err)
	}

	for _, l := range resources(m, "aws_lb_listener") {
		if attr(m, only(t, l, "default_action"), "type") != "forward" {
			continue
		}
		var patterns []*regexp.Regexp
		for _, r := range resources(m, "aws_lb_listener_rule") {
			action := only(t, r, "action")
			if attr(m, r, "listener_arn") != "aws_lb_listener."+l.Labels[1]+".arn" || attr(m, action, "type") != "fixed-response" ||
				attr(m, only(t, action, "fixed_response"), "status_code") != "404" {
				continue
			}
			if m.Count(t, r, Vars{}) != 1 || m.Count(t, r, Vars{"operational_paths_enabled": cty.True}) != 0 {
				t.Errorf("rule %s: want it only while operational_paths_enabled is false (the default)", r.Labels[1])
			}
			for _, p := range m.List(t, only(t, only(t, r, "condition"), "path_pattern"), "values") {
				patterns = append(patterns, albPattern(p))
			}
		}
		blocked := func(path string) bool {
			return slices.ContainsFunc(patterns, func(re *regexp.Regexp) bool { return re.MatchString(path) })
		}
		for _, p := range operational {
			if !blocked(p) {
				t.Errorf("listener %s forwards %s; want a 404 unless operational_paths_enabled", l.Labels[1], p)
			}
		}
		for p := range doc.Paths {
			p = strings.ReplaceAll(p, "{uuid}", "0b1c7e1e-5d2a-4c3b-9f4e-2a6b8c0d1e2f")
			if !slices.Contains(operational, p) && blocked(p) {
				t.Errorf("listener %s answers the API's %s with a 404", l.Labels[1], p)
			}
		}
	}
}

// bucketConfig returns the resource of type typ that configures aws_s3_bucket.<bucket>.
func bucketConfig(t *testing.T, m *Module, typ, bucket string) *hclsyntax.Block {
	t.Helper()
	for _, b := range resources(m, typ) {
		if attr(m, b, "bucket") == "aws_s3_bucket."+bucket+".id" {
			return b
		}
	}
	t.Fatalf("%s: aws_s3_bucket.%s has no %s", m.Dir, bucket, typ)
	return nil
}

// Every S3 bucket of every module is private (all four public-access blocks) and encrypted with
// SSE-S3, the only encryption ALB log delivery supports.
func TestTerraformBucketsPrivateEncrypted(t *testing.T) {
	for _, dir := range modules {
		m := Load(t, dir)
		for _, b := range resources(m, "aws_s3_bucket") {
			checkPrivateEncrypted(t, m, b.Labels[1])
		}
	}
}

func checkPrivateEncrypted(t *testing.T, m *Module, bucket string) {
	t.Helper()
	pab := bucketConfig(t, m, "aws_s3_bucket_public_access_block", bucket)
	for _, a := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
		if attr(m, pab, a) != "true" {
			t.Errorf("%s: bucket %s: %s is not true", m.Dir, bucket, a)
		}
	}
	sse := bucketConfig(t, m, "aws_s3_bucket_server_side_encryption_configuration", bucket)
	if got := attr(m, only(t, only(t, sse, "rule"), "apply_server_side_encryption_by_default"), "sse_algorithm"); got != "AES256" {
		t.Errorf("%s: bucket %s: sse_algorithm %q, want AES256 (SSE-S3)", m.Dir, bucket, got)
	}
}

// The ALB writes access logs (TestTerraformSafeSettings) to a bucket of their own (private and
// SSE-S3: TestTerraformBucketsPrivateEncrypted), expiring, writable by the ELB log delivery, and
// in place before the ALB turns logging on.
func TestTerraformAWSAccessLogs(t *testing.T) {
	m := Load(t, "terraform/aws")
	lb := m.Must(t, "resource", "aws_lb", "this")
	logs := only(t, lb, "access_logs")
	bucket, ok := strings.CutSuffix(strings.TrimPrefix(attr(m, logs, "bucket"), "aws_s3_bucket."), ".id")
	if !ok || m.Block("resource", "aws_s3_bucket", bucket) == nil {
		t.Fatalf("aws_lb.this access_logs: want bucket = aws_s3_bucket.<name>.id")
	}

	rule := only(t, bucketConfig(t, m, "aws_s3_bucket_lifecycle_configuration", bucket), "rule")
	if attr(m, rule, "status") != "Enabled" || attr(m, only(t, rule, "expiration"), "days") == "" {
		t.Errorf("bucket %s: want an enabled lifecycle rule that expires the logs", bucket)
	}

	policy := bucketConfig(t, m, "aws_s3_bucket_policy", bucket)
	if !slices.Contains(m.List(t, lb, "depends_on"), "aws_s3_bucket_policy."+policy.Labels[1]) {
		t.Errorf("aws_lb.this: want depends_on the bucket policy: the ALB checks it may write when logging is turned on")
	}
	doc := strings.TrimSuffix(strings.TrimPrefix(attr(m, policy, "policy"), "data.aws_iam_policy_document."), ".json")
	var delivery bool
	for _, s := range Nested(m.Must(t, "data", "aws_iam_policy_document", doc), "statement") {
		for _, p := range Nested(s, "principals") {
			delivery = delivery || (attr(m, p, "type") == "Service" &&
				slices.Equal(m.List(t, p, "identifiers"), []string{"logdelivery.elasticloadbalancing.amazonaws.com"}) &&
				slices.Equal(m.List(t, s, "actions"), []string{"s3:PutObject"}))
		}
	}
	if !delivery {
		t.Errorf("bucket policy %s: want s3:PutObject for the ELB log delivery service", doc)
	}
}
