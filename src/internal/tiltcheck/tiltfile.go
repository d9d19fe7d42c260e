// Package tiltcheck executes the repository's Tiltfile with stand-ins for the Tilt builtins it
// calls and records what it declares, so tests can compare it with docker-compose.yml without
// Tilt itself (Tilt is not on the Go module proxy).
//
// The stand-ins accept the same parameter names as Tilt v0.37.6 (internal/tiltfile in
// tilt-dev/tilt), so a misspelt keyword fails here as it would in Tilt. They record arguments
// only; nothing is built or started.
package tiltcheck

import (
	"os"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"
)

// Tiltfile is what a Tiltfile declared, in call order where order matters.
type Tiltfile struct {
	VersionConstraint string
	ComposeFiles      []string // docker_compose's files, as written (relative to the Tiltfile)
	ComposeProject    string
	ComposeWait       bool
	DCResources       map[string]DCResource // by compose service name
	Builds            []DockerBuild
	WatchIgnores      []string // watch_settings(ignore=...): paths Tilt never watches
	Locals            map[string]LocalResource
}

// DCResource is one dc_resource call.
type DCResource struct {
	Labels       []string
	ResourceDeps []string
	Links        []Link
}

// DockerBuild is one docker_build call.
type DockerBuild struct {
	Ref, Context, Dockerfile, Target string
	Only, Ignore                     []string
	HasLiveUpdate                    bool
}

// LocalResource is one local_resource call.
type LocalResource struct {
	Cmd          string
	Env          map[string]string
	ResourceDeps []string
	Labels       []string
	ManualTrig   bool
	AutoInit     bool
}

// Link is a link() value: a URL shown next to a resource in Tilt's UI.
type Link struct{ URL, Name string }

// Tilt's dialect (internal/tiltfile/starkit/environment.go in v0.37.6).
var fileOptions = &syntax.FileOptions{Set: true, GlobalReassign: true, Recursion: true, TopLevelControl: true, While: true}

const (
	triggerModeAuto   = starlark.String("TRIGGER_MODE_AUTO")
	triggerModeManual = starlark.String("TRIGGER_MODE_MANUAL")
)

// Exec runs the Tiltfile at path. args are the user's config arguments (what follows `--` on
// `tilt up`), by setting name.
func Exec(path string, args map[string][]string) (*Tiltfile, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := &recorder{
		tf:      &Tiltfile{DCResources: map[string]DCResource{}, Locals: map[string]LocalResource{}},
		args:    args,
		defined: map[string]bool{},
	}
	thread := &starlark.Thread{Name: path, Print: func(*starlark.Thread, string) {}}
	if _, err := starlark.ExecFileOptions(fileOptions, thread, path, src, r.predeclared()); err != nil {
		return nil, err
	}
	return r.tf, nil
}

type recorder struct {
	tf      *Tiltfile
	args    map[string][]string
	defined map[string]bool // config settings declared with config.define_*
}

func (r *recorder) predeclared() starlark.StringDict {
	b := func(name string, fn func(string, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)) *starlark.Builtin {
		return starlark.NewBuiltin(name, func(_ *starlark.Thread, f *starlark.Builtin, a starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			return fn(f.Name(), a, kw)
		})
	}
	return starlark.StringDict{
		"version_settings":    b("version_settings", r.versionSettings),
		"docker_compose":      b("docker_compose", r.dockerCompose),
		"dc_resource":         b("dc_resource", r.dcResource),
		"docker_build":        b("docker_build", r.dockerBuild),
		"local_resource":      b("local_resource", r.localResource),
		"link":                b("link", r.link),
		"watch_settings":      b("watch_settings", r.watchSettings),
		"TRIGGER_MODE_AUTO":   triggerModeAuto,
		"TRIGGER_MODE_MANUAL": triggerModeManual,
		"config": &starlarkstruct.Module{Name: "config", Members: starlark.StringDict{
			"define_string_list": b("config.define_string_list", r.defineStringList),
			"parse":              b("config.parse", r.parse),
		}},
	}
}
