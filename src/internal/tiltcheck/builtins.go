package tiltcheck

import (
	"fmt"

	"go.starlark.net/starlark"
)

func (r *recorder) versionSettings(fn string, a starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var checkUpdates bool
	err := starlark.UnpackArgs(fn, a, kw, "check_updates?", &checkUpdates, "constraint?", &r.tf.VersionConstraint)
	return starlark.None, err
}

func (r *recorder) watchSettings(fn string, a starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var ignore starlark.Value
	if err := starlark.UnpackArgs(fn, a, kw, "ignore?", &ignore); err != nil {
		return nil, err
	}
	paths, err := stringOrList(ignore)
	r.tf.WatchIgnores = append(r.tf.WatchIgnores, paths...)
	return starlark.None, err
}

func (r *recorder) defineStringList(fn string, a starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var name, usage string
	var positional bool
	if err := starlark.UnpackArgs(fn, a, kw, "name", &name, "args?", &positional, "usage?", &usage); err != nil {
		return nil, err
	}
	r.defined[name] = true
	return starlark.None, nil
}

// parse returns the config arguments as Tilt does: a dict holding only the settings given.
func (r *recorder) parse(fn string, a starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackArgs(fn, a, kw); err != nil {
		return nil, err
	}
	d := starlark.NewDict(len(r.args))
	for name, vals := range r.args {
		if !r.defined[name] {
			return nil, fmt.Errorf("%s: unknown config setting %q (not defined before parse)", fn, name)
		}
		l := make([]starlark.Value, len(vals))
		for i, v := range vals {
			l[i] = starlark.String(v)
		}
		if err := d.SetKey(starlark.String(name), starlark.NewList(l)); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (r *recorder) dockerCompose(fn string, a starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var paths, envFile, profiles starlark.Value
	var wait bool
	if err := starlark.UnpackArgs(fn, a, kw, "configPaths", &paths, "env_file?", &envFile,
		"project_name?", &r.tf.ComposeProject, "profiles?", &profiles, "wait?", &wait); err != nil {
		return nil, err
	}
	files, err := stringOrList(paths)
	if err != nil {
		return nil, fmt.Errorf("%s: configPaths: %w", fn, err)
	}
	r.tf.ComposeFiles = append(r.tf.ComposeFiles, files...)
	r.tf.ComposeWait = wait
	return starlark.None, nil
}

func (r *recorder) dcResource(fn string, a starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var name, projectName, newName string
	var image, triggerMode, deps, labels, links starlark.Value
	var inferLinks, autoInit bool
	if err := starlark.UnpackArgs(fn, a, kw, "name", &name, "image?", &image, "trigger_mode?", &triggerMode,
		"resource_deps?", &deps, "infer_links?", &inferLinks, "links?", &links, "labels?", &labels,
		"auto_init?", &autoInit, "project_name?", &projectName, "new_name?", &newName); err != nil {
		return nil, err
	}
	if _, dup := r.tf.DCResources[name]; dup {
		return nil, fmt.Errorf("%s: %q configured twice", fn, name)
	}
	var res DCResource
	var err error
	if res.ResourceDeps, err = stringOrList(deps); err != nil {
		return nil, fmt.Errorf("%s(%s): resource_deps: %w", fn, name, err)
	}
	if res.Labels, err = stringOrList(labels); err != nil {
		return nil, fmt.Errorf("%s(%s): labels: %w", fn, name, err)
	}
	if res.Links, err = linkList(links); err != nil {
		return nil, fmt.Errorf("%s(%s): links: %w", fn, name, err)
	}
	r.tf.DCResources[name] = res
	return starlark.None, nil
}

func (r *recorder) dockerBuild(fn string, a starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var b DockerBuild
	var buildArgs, contents, cache, liveUpdate, ignore, only, entrypoint, containerArgs, ssh, secret,
		network, extraTag, cacheFrom, platform, extraHosts starlark.Value
	var matchInEnv, pull bool
	if err := starlark.UnpackArgs(fn, a, kw, "ref", &b.Ref, "context", &b.Context, "build_args?", &buildArgs,
		"dockerfile?", &b.Dockerfile, "dockerfile_contents?", &contents, "cache?", &cache,
		"live_update?", &liveUpdate, "match_in_env_vars?", &matchInEnv, "ignore?", &ignore, "only?", &only,
		"entrypoint?", &entrypoint, "container_args?", &containerArgs, "target?", &b.Target, "ssh?", &ssh,
		"secret?", &secret, "network?", &network, "extra_tag?", &extraTag, "cache_from?", &cacheFrom,
		"pull?", &pull, "platform?", &platform, "extra_hosts?", &extraHosts); err != nil {
		return nil, err
	}
	var err error
	if b.Only, err = stringOrList(only); err != nil {
		return nil, fmt.Errorf("%s(%s): only: %w", fn, b.Ref, err)
	}
	if b.Ignore, err = stringOrList(ignore); err != nil {
		return nil, fmt.Errorf("%s(%s): ignore: %w", fn, b.Ref, err)
	}
	if l, ok := liveUpdate.(*starlark.List); ok {
		b.HasLiveUpdate = l.Len() > 0
	} else {
		b.HasLiveUpdate = liveUpdate != nil && liveUpdate != starlark.None
	}
	if b.Dockerfile == "" {
		b.Dockerfile = "Dockerfile" // Tilt's default: <context>/Dockerfile
	}
	r.tf.Builds = append(r.tf.Builds, b)
	return starlark.None, nil
}

func (r *recorder) localResource(fn string, a starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var name string
	var cmd, deps, trigger, resDeps, ignore, serveCmd, cmdBat, serveCmdBat, links, labels, env, serveEnv,
		probe, dir, serveDir starlark.Value
	autoInit, allowParallel := true, false
	if err := starlark.UnpackArgs(fn, a, kw, "name", &name, "cmd?", &cmd, "deps?", &deps,
		"trigger_mode?", &trigger, "resource_deps?", &resDeps, "ignore?", &ignore, "auto_init?", &autoInit,
		"serve_cmd?", &serveCmd, "cmd_bat?", &cmdBat, "serve_cmd_bat?", &serveCmdBat,
		"allow_parallel?", &allowParallel, "links?", &links, "labels?", &labels, "env?", &env,
		"serve_env?", &serveEnv, "readiness_probe?", &probe, "dir?", &dir, "serve_dir?", &serveDir); err != nil {
		return nil, err
	}
	if _, dup := r.tf.Locals[name]; dup {
		return nil, fmt.Errorf("%s: %q declared twice", fn, name)
	}
	lr := LocalResource{AutoInit: autoInit, ManualTrig: trigger == triggerModeManual, Env: map[string]string{}}
	if s, ok := cmd.(starlark.String); ok {
		lr.Cmd = string(s)
	} else if cmd != nil {
		return nil, fmt.Errorf("%s(%s): cmd: want a string, got %s", fn, name, cmd.Type())
	}
	var err error
	if lr.ResourceDeps, err = stringOrList(resDeps); err != nil {
		return nil, fmt.Errorf("%s(%s): resource_deps: %w", fn, name, err)
	}
	if lr.Labels, err = stringOrList(labels); err != nil {
		return nil, fmt.Errorf("%s(%s): labels: %w", fn, name, err)
	}
	if d, ok := env.(*starlark.Dict); ok {
		for _, item := range d.Items() {
			k, kok := starlark.AsString(item[0])
			v, vok := starlark.AsString(item[1])
			if !kok || !vok {
				return nil, fmt.Errorf("%s(%s): env: want string keys and values", fn, name)
			}
			lr.Env[k] = v
		}
	}
	r.tf.Locals[name] = lr
	return starlark.None, nil
}
