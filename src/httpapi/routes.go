package httpapi

import (
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"github.com/acme/objects-api/src/openapi"
)

// route is one operation of the API. The router, the 404 message, the 501 message and the
// links of GET / are all built from routeTable; a test holds the OpenAPI document to it.
type route struct {
	method  string
	path    string // Fiber's pattern; the one parameter, :id, is {uuid} in the document
	summary string // the document's summary of the operation
	link    string // the name GET / lists the route under, or "" for none
	handler func(env *handlerEnv) fiber.Handler
}

var routeTable = []route{
	{"GET", "/", "Service name, version and links.", "", indexHandler},
	{"PUT", "/object/:id", "Store the object, stamped with the UTC time of the write.", "", putObject},
	{"GET", "/object/:id", "Read one object.", "", getObject},
	{"DELETE", "/object/:id", "Delete one object.", "", deleteObject},
	{"GET", "/objects", "Every object in the table, however many (the body is streamed page by page).", "", listObjects},
	{"DELETE", "/objects", "Delete every object that exists when the request starts.", "", deleteObjects},
	{"GET", "/healthz", "Liveness; no I/O.", "healthz", func(*handlerEnv) fiber.Handler { return healthz }},
	{"GET", "/readyz", "Readiness; 200 when the table answers DescribeTable as ACTIVE.", "readyz", readyz},
	{"GET", "/metrics", "Prometheus metrics (text exposition format).", "metrics", metricsHandler},
	{"GET", "/openapi.json", "This document as JSON.", "openapi", serveDocument(fiber.MIMEApplicationJSON, openapi.JSON())},
	{"GET", "/openapi.yaml", "This document as YAML.", "", serveDocument("application/yaml", openapi.YAML())},
	{"GET", "/docs", "This document rendered by Swagger UI (served from the binary, no internet needed).", "docs", docsPage},
}

// routes mounts routeTable on app. Swagger UI's assets under /docs/ are files, not operations:
// they are served by a prefix mount and are not in the document.
func routes(app *fiber.App, env *handlerEnv) {
	for _, r := range routeTable {
		if r.method == fiber.MethodGet {
			app.Get(r.path, r.handler(env)) // and HEAD
		} else {
			app.Add(r.method, r.path, r.handler(env))
		}
	}
	app.Use("/docs", filesystem.New(filesystem.Config{Root: http.FS(openapi.Docs())}))
}

// routeLinks are the links GET / lists: name to path.
func routeLinks() fiber.Map {
	links := fiber.Map{}
	for _, r := range routeTable {
		if r.link != "" {
			links[r.link] = r.path
		}
	}
	return links
}

// docPath is a route's path as the document and the messages write it.
func docPath(p string) string { return strings.ReplaceAll(p, ":id", "{uuid}") }

// routeList lists the routes by path, e.g. "PUT|GET|DELETE /object/{uuid}, GET /healthz".
func routeList() string {
	var paths []string
	methods := map[string][]string{}
	for _, r := range routeTable {
		p := docPath(r.path)
		if methods[p] == nil {
			paths = append(paths, p)
		}
		methods[p] = append(methods[p], r.method)
	}
	parts := make([]string, len(paths))
	for i, p := range paths {
		parts[i] = strings.Join(methods[p], "|") + " " + p
	}
	return strings.Join(parts, ", ")
}

// implementedMethods lists the methods the API answers, for the 501 message: the table's,
// and HEAD, which the router adds to every GET.
func implementedMethods() string {
	seen := map[string]bool{"HEAD": true}
	out := []string{"GET", "HEAD"}
	for _, r := range routeTable {
		if !seen[r.method] && r.method != "GET" {
			seen[r.method] = true
			out = append(out, r.method)
		}
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}
