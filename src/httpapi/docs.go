package httpapi

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"github.com/acme/objects-api/src/openapi"
)

// serveDocument serves a fixed document of content type ct.
func serveDocument(ct string, doc []byte) func(*handlerEnv) fiber.Handler {
	return func(*handlerEnv) fiber.Handler {
		return func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderContentType, ct)
			return c.Send(doc)
		}
	}
}

// docsPage serves the docs page (Swagger UI, embedded); routes mounts its assets.
func docsPage(*handlerEnv) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return filesystem.SendFile(c, http.FS(openapi.Docs()), "index.html")
	}
}
