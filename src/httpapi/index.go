package httpapi

import (
	"runtime/debug"

	"github.com/gofiber/fiber/v2"
)

// BuildVersion is the version a build names: the Dockerfile sets it from its VERSION build
// argument (-ldflags "-X github.com/acme/objects-api/src/httpapi.BuildVersion=..."), because an
// image build sees no .git to stamp a revision from.
var BuildVersion string

// Version is BuildVersion, else the module version or the VCS revision the binary was built
// from, else "devel".
func Version() string {
	if BuildVersion != "" {
		return BuildVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" {
			return s.Value
		}
	}
	return "devel"
}

// indexHandler is GET /: the service's name, version and where to look next.
func indexHandler(env *handlerEnv) fiber.Handler {
	body := fiber.Map{"service": "objects-api", "version": Version(), "links": env.links}
	return func(c *fiber.Ctx) error { return c.JSON(body) }
}
