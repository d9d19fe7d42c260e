package tiltcheck

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
)

// Labels a dc_resource may carry: the UI groups resources by them.
var allowedLabels = []string{"infra", "app"}

// Check reports every way tf disagrees with the compose file c it loads first: a service
// without a dc_resource (or a dc_resource without a service), resource_deps that differ from
// depends_on, a missing or unknown label, and a built service whose docker_build would not
// replace compose's build. goFiles are the repository's .go files (slash paths relative to the
// build context): none may trigger an image build, since air reloads them.
func Check(tf *Tiltfile, c *Compose, composeFile string, goFiles []string) error {
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }

	if len(tf.ComposeFiles) == 0 || tf.ComposeFiles[0] != composeFile {
		fail("docker_compose must load %s first, got %q", composeFile, tf.ComposeFiles)
	}
	if tf.ComposeProject != c.Name {
		fail("docker_compose project_name %q differs from the compose file's name %q: "+
			"Tilt and `docker compose` would run two separate projects", tf.ComposeProject, c.Name)
	}
	for _, name := range sortedKeys(c.Services) {
		svc := c.Services[name]
		res, ok := tf.DCResources[name]
		if !ok {
			fail("service %s: no dc_resource", name)
			continue
		}
		if got := sortedCopy(res.ResourceDeps); !slices.Equal(got, svc.DependsOn) {
			fail("service %s: resource_deps %q, want %q (its depends_on)", name, got, []string(svc.DependsOn))
		}
		if len(res.Labels) == 0 {
			fail("service %s: no labels", name)
		}
		for _, l := range res.Labels {
			if !slices.Contains(allowedLabels, l) {
				fail("service %s: label %q is not one of %q", name, l, allowedLabels)
			}
		}
		if svc.Build != nil {
			errs = append(errs, checkBuild(name, svc, tf.Builds, tf.WatchIgnores, goFiles)...)
		}
	}
	for _, name := range sortedKeys(tf.DCResources) {
		if _, ok := c.Services[name]; !ok {
			fail("dc_resource %s: no such compose service", name)
		}
	}
	for _, b := range tf.Builds {
		if !slices.ContainsFunc(sortedKeys(c.Services), func(n string) bool { return c.Services[n].Image == b.Ref }) {
			fail("docker_build %s: no compose service uses that image", b.Ref)
		}
	}
	if err := checkDeps(tf); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func checkBuild(name string, svc Service, builds []DockerBuild, watchIgnores, goFiles []string) []error {
	var errs []error
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("service %s: "+format, append([]any{name}, a...)...))
	}
	if svc.Image == "" {
		return []error{fmt.Errorf("service %s: has a build but no image: name, so no docker_build can match it", name)}
	}
	i := slices.IndexFunc(builds, func(b DockerBuild) bool { return b.Ref == svc.Image })
	if i < 0 {
		return []error{fmt.Errorf("service %s: no docker_build for image %s: Tilt would let compose build it "+
			"and rebuild on any change in the build context", name, svc.Image)}
	}
	b := builds[i]
	if b.Target != svc.Build.Target {
		fail("docker_build target %q, compose builds %q", b.Target, svc.Build.Target)
	}
	wantDF := svc.Build.Dockerfile
	if wantDF == "" {
		wantDF = "Dockerfile"
	}
	if path.Clean(path.Join(b.Context, b.Dockerfile)) != path.Clean(path.Join(svc.Build.Context, wantDF)) {
		fail("docker_build uses %s in %s, compose %s in %s", b.Dockerfile, b.Context, wantDF, svc.Build.Context)
	}
	if b.HasLiveUpdate {
		fail("docker_build has live_update: air over the bind mount is the one reload mechanism")
	}
	if len(b.Only) == 0 {
		fail("docker_build has no only=: every file in the context would trigger an image build")
	}
	// Tilt rebuilds when a watched file changes: one inside only= and not under watch_settings' ignore.
	triggers := func(f string) bool { return covered(b.Only, f) && !covered(watchIgnores, f) }
	for _, f := range []string{"go.mod", "go.sum"} {
		if !triggers(f) {
			fail("docker_build: changing %s does not rebuild the image (only=%q, watch ignores %q)", f, b.Only, watchIgnores)
		}
	}
	for _, f := range goFiles {
		if triggers(f) {
			fail("docker_build: saving %s would rebuild the image instead of reloading through air", f)
		}
	}
	return errs
}

// covered reports whether one of the paths (a file, a directory, or a glob) includes file.
func covered(only []string, file string) bool {
	for _, o := range only {
		o = strings.TrimSuffix(path.Clean(strings.TrimPrefix(o, "./")), "/")
		if o == "." || o == file || strings.HasPrefix(file, o+"/") {
			return true
		}
		if ok, _ := path.Match(o, file); ok {
			return true
		}
	}
	return false
}

// checkDeps: every resource_deps entry names a resource, and the graph has no cycle.
func checkDeps(tf *Tiltfile) error {
	deps := map[string][]string{}
	for n, r := range tf.DCResources {
		deps[n] = r.ResourceDeps
	}
	for n, r := range tf.Locals {
		deps[n] = r.ResourceDeps
	}
	var errs []error
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(n string, trail []string)
	visit = func(n string, trail []string) {
		switch state[n] {
		case 1:
			errs = append(errs, fmt.Errorf("resource_deps cycle: %s", strings.Join(append(trail, n), " -> ")))
			return
		case 2:
			return
		}
		state[n] = 1
		for _, d := range deps[n] {
			if _, ok := deps[d]; !ok {
				errs = append(errs, fmt.Errorf("resource %s: resource_deps names unknown resource %q", n, d))
				continue
			}
			visit(d, append(trail, n))
		}
		state[n] = 2
	}
	for _, n := range sortedKeys(deps) {
		visit(n, nil)
	}
	return errors.Join(errs...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	if out == nil {
		out = []string{}
	}
	return out
}
