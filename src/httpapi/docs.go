package httpapi

import (
	"net/http"
	"runtime/debug"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/acme/objects-api/src/openapi"
)

// version is the module version, or the VCS revision a development build was made from.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
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
func indexHandler(d *deps) fiber.Handler {
	body := fiber.Map{"service": "objects-api", "version": version(), "links": d.links}
	return func(c *fiber.Ctx) error { return c.JSON(body) }
}

// serveDocument serves a fixed document of content type ct.
func serveDocument(ct string, doc []byte) func(*deps) fiber.Handler {
	return func(*deps) fiber.Handler {
		return func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderContentType, ct)
			return c.Send(doc)
		}
	}
}

// docsPage serves the docs page (Swagger UI, embedded); routes mounts its assets.
func docsPage(*deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return filesystem.SendFile(c, http.FS(openapi.Docs()), "index.html")
	}
}

// metricsHandler serves the metrics in Prometheus' text format.
func metricsHandler(d *deps) fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(d.metrics.Registry, promhttp.HandlerOpts{}))
}
