package httpapi

import (
	"fmt"
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/acme/objects-api/src/http1"
)

// Requests refused before routing: http1.Guard's (framing, limits, the read timeout, what
// fasthttp cannot parse) and those with a method Fiber does not route. observe never sees
// them, so refuser answers each itself.

// refuser answers a refused request with writeError; a 5xx is logged as errorHandler logs one.
func refuser(app *fiber.App, logger *slog.Logger) http1.Refuse {
	return func(fctx *fasthttp.RequestCtx, r http1.Refusal) {
		c := app.AcquireCtx(fctx)
		defer app.ReleaseCtx(c)
		id := writeError(c, r.Status, r.Msg)
		if r.Status >= 500 {
			logger.Error("request failed", "method", c.Method(), "path", c.Path(), "status", r.Status,
				"request_id", id, "error", r.Msg)
		}
	}
}

// refuseUnknownMethods wraps next (Fiber's handler) to refuse a method Fiber does not know
// (e.g. FOO, or a lowercase get), which Fiber answers 400 with the plain text "Invalid http
// method": RFC 9110 §15.6.2 says 501, and every error here is JSON. known is Fiber's methods;
// implemented lists the API's, for the message. The connection stays open: its body was read.
func refuseUnknownMethods(next fasthttp.RequestHandler, known []string, implemented string, refuse http1.Refuse) fasthttp.RequestHandler {
	return func(fctx *fasthttp.RequestCtx) {
		if m := fctx.Method(); !knownMethod(known, m) {
			refuse(fctx, http1.Refusal{Status: fiber.StatusNotImplemented,
				Msg: fmt.Sprintf("method %q is not implemented; the API answers %s", clip(m), implemented)})
			return
		}
		next(fctx)
	}
}

func knownMethod(methods []string, m []byte) bool {
	for _, k := range methods {
		if string(m) == k { // compared without a conversion allocation
			return true
		}
	}
	return false
}

// clip shortens a client-supplied token for an error message.
func clip(b []byte) string {
	const show = 32
	if len(b) > show {
		return string(b[:show]) + "..."
	}
	return string(b)
}
