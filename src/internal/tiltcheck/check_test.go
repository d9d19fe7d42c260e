package tiltcheck

import (
	"strings"
	"testing"
)

// A small stack shaped like ours, and a Tiltfile record that agrees with it.
func fixture() (*Tiltfile, *Compose) {
	c := &Compose{Name: "demo", Services: map[string]Service{
		"db":  {Image: "db:1"},
		"job": {Image: "job:1", DependsOn: DependsOn{"db"}},
		"app": {Image: "app:dev", Build: &Build{Context: ".", Target: "dev"}, DependsOn: DependsOn{"job"}},
	}}
	tf := &Tiltfile{
		ComposeFiles:   []string{"docker-compose.yml"},
		ComposeProject: "demo",
		DCResources: map[string]DCResource{
			"db":  {Labels: []string{"infra"}},
			"job": {Labels: []string{"infra"}, ResourceDeps: []string{"db"}},
			"app": {Labels: []string{"app"}, ResourceDeps: []string{"job"}},
		},
		Builds: []DockerBuild{{Ref: "app:dev", Context: ".", Dockerfile: "Dockerfile", Target: "dev",
			Only: []string{"go.mod", "go.sum", "src"}}},
		WatchIgnores: []string{"src"},
		Locals:       map[string]LocalResource{"tests": {ResourceDeps: []string{"db"}}},
	}
	return tf, c
}

var fixtureGoFiles = []string{"src/cmd/api/main.go", "src/httpapi/health.go", "main.go"}

func TestCheckAcceptsAgreeingFiles(t *testing.T) {
	tf, c := fixture()
	if err := Check(tf, c, "docker-compose.yml", fixtureGoFiles); err != nil {
		t.Errorf("Check of an agreeing pair: %v", err)
	}
}

func TestCheckReportsDisagreement(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Tiltfile, *Compose)
		want   string
	}{
		{"service without dc_resource", func(tf *Tiltfile, _ *Compose) { delete(tf.DCResources, "job") }, "service job: no dc_resource"},
		{"dc_resource without service", func(tf *Tiltfile, _ *Compose) { tf.DCResources["ghost"] = DCResource{Labels: []string{"app"}} }, "dc_resource ghost: no such compose service"},
		{"missing dep", func(tf *Tiltfile, _ *Compose) { tf.DCResources["app"] = DCResource{Labels: []string{"app"}} }, `service app: resource_deps [], want ["job"]`},
		{"extra dep", func(tf *Tiltfile, _ *Compose) {
			tf.DCResources["db"] = DCResource{Labels: []string{"infra"}, ResourceDeps: []string{"app"}}
		}, "service db: resource_deps"},
		{"cycle", func(tf *Tiltfile, c *Compose) {
			tf.DCResources["db"] = DCResource{Labels: []string{"infra"}, ResourceDeps: []string{"app"}}
			c.Services["db"] = Service{Image: "db:1", DependsOn: DependsOn{"app"}}
		}, "resource_deps cycle"},
		{"unknown dep", func(tf *Tiltfile, _ *Compose) { tf.Locals["tests"] = LocalResource{ResourceDeps: []string{"dynamo"}} }, `unknown resource "dynamo"`},
		{"no label", func(tf *Tiltfile, _ *Compose) { tf.DCResources["db"] = DCResource{} }, "service db: no labels"},
		{"odd label", func(tf *Tiltfile, _ *Compose) { tf.DCResources["db"] = DCResource{Labels: []string{"database"}} }, `label "database"`},
		{"other project", func(tf *Tiltfile, _ *Compose) { tf.ComposeProject = "" }, "project_name"},
		{"compose file not first", func(tf *Tiltfile, _ *Compose) { tf.ComposeFiles = []string{"other.yml"} }, "must load docker-compose.yml first"},
		{"no docker_build", func(tf *Tiltfile, _ *Compose) { tf.Builds = nil }, "no docker_build for image app:dev"},
		{"built service without image name", func(_ *Tiltfile, c *Compose) {
			c.Services["app"] = Service{Build: &Build{Context: "."}, DependsOn: DependsOn{"job"}}
		}, "no image: name"},
		{"wrong target", func(tf *Tiltfile, _ *Compose) { tf.Builds[0].Target = "prod" }, `target "prod"`},
		{"other Dockerfile", func(tf *Tiltfile, _ *Compose) { tf.Builds[0].Dockerfile = "Dockerfile.dev" }, "docker_build uses Dockerfile.dev"},
		{"live_update", func(tf *Tiltfile, _ *Compose) { tf.Builds[0].HasLiveUpdate = true }, "one reload mechanism"},
		{"no only", func(tf *Tiltfile, _ *Compose) { tf.Builds[0].Only = nil }, "no only="},
		{"source watched", func(tf *Tiltfile, _ *Compose) { tf.WatchIgnores = nil }, "saving src/httpapi/health.go would rebuild"},
		{"watch ignore misses a dir", func(tf *Tiltfile, _ *Compose) { tf.WatchIgnores = []string{"src/httpapi"} }, "saving src/cmd/api/main.go would rebuild"},
		{"only covers a glob of .go", func(tf *Tiltfile, _ *Compose) {
			tf.Builds[0].Only = append(tf.Builds[0].Only, "*/*/*.go")
			tf.WatchIgnores = nil
		}, "saving src/httpapi/health.go would rebuild"},
		{"only is the whole context", func(tf *Tiltfile, _ *Compose) { tf.Builds[0].Only = []string{"./"} }, "saving main.go would rebuild"},
		{"go.mod does not rebuild", func(tf *Tiltfile, _ *Compose) { tf.Builds[0].Only = []string{"go.sum", "src"} }, "changing go.mod does not rebuild"},
		{"go.mod watch-ignored", func(tf *Tiltfile, _ *Compose) { tf.WatchIgnores = append(tf.WatchIgnores, "go.mod") }, "changing go.mod does not rebuild"},
		{"build for no service", func(tf *Tiltfile, _ *Compose) { tf.Builds = append(tf.Builds, DockerBuild{Ref: "stray"}) }, "docker_build stray: no compose service"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tf, c := fixture()
			tt.mutate(tf, c)
			err := Check(tf, c, "docker-compose.yml", fixtureGoFiles)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestDependsOnAcceptsBothForms(t *testing.T) {
	for _, tt := range []struct{ name, yaml string }{
		{"list", "services:\n  a: {image: a}\n  b:\n    image: b\n    depends_on: [a]\n"},
		{"map", "services:\n  a: {image: a}\n  b:\n    image: b\n    depends_on:\n      a: {condition: service_healthy}\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := t.TempDir() + "/compose.yml"
			writeFile(t, p, tt.yaml)
			c, err := LoadCompose(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Services["b"].DependsOn; len(got) != 1 || got[0] != "a" {
				t.Errorf("b depends_on = %q, want [a]", got)
			}
		})
	}
}
