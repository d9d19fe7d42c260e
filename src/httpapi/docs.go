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

// index is GET /: the service's name, version and where to look next.
func index(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{
		"service": "objects-api",
		"version": version(),
		"links": fiber.Map{
			"docs": "/docs", "openapi": "/openapi.json", "healthz": "/healthz", "readyz": "/readyz", "metrics": "/metrics",
		},
	})
}

// docsRoutes serves the OpenAPI document and the docs page (Swagger UI, embedded).
func docsRoutes(app *fiber.App) {
	app.Get("/openapi.json", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(openapi.JSON())
	})
	app.Get("/openapi.yaml", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/yaml")
		return c.Send(openapi.YAML())
	})
	app.Get("/docs", func(c *fiber.Ctx) error {
		return filesystem.SendFile(c, http.FS(openapi.Docs()), "index.html")
	})
	app.Use("/docs", filesystem.New(filesystem.Config{Root: http.FS(openapi.Docs())}))
}

// metricsRoute serves m in Prometheus' text format.
func metricsRoute(app *fiber.App, m *Metrics) {
	app.Get("/metrics", adaptor.HTTPHandler(promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})))
}
