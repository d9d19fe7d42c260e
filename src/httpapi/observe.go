package httpapi

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
)

// observe gives each request an id, and after it is answered writes one access log line and
// records its metrics. It runs the error handler itself so that the status it logs is the one sent.
func observe(logger *slog.Logger, m *Metrics) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		id := c.Get(HeaderRequestID)
		if !usableRequestID(id) {
			id = uuid.NewString()
		} else {
			id = strings.Clone(id) // the header's bytes are reused after the handler returns
		}
		c.Set(HeaderRequestID, id)
		c.Set(HeaderContentTypeOptions, "nosniff")

		if err := c.Next(); err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		d := time.Since(start)
		status := c.Response().StatusCode()
		route := routeLabel(c)
		m.observeRequest(methodLabel(c.Method()), route, status, d)
		level := slog.LevelInfo
		if status == fiber.StatusOK && (route == "/healthz" || route == "/readyz") {
			level = slog.LevelDebug // healthchecks poll these every few seconds: LOG_LEVEL=debug shows them
		}
		if logger.Enabled(c.UserContext(), level) {
			logger.LogAttrs(c.UserContext(), level, "request",
				slog.String("method", c.Method()), slog.String("route", route), slog.String("path", clip(c.Path())),
				slog.Int("status", status), slog.Float64("duration_ms", float64(d.Microseconds())/1000),
				slog.Int("bytes", bodyBytes(c)), slog.String("request_id", id))
		}
		return nil
	}
}

// usableRequestID accepts 1-128 printable ASCII characters without spaces; anything else is
// replaced, so a client cannot put arbitrary bytes into logs.
func usableRequestID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

// routeLabel is the matched route's pattern (e.g. /object/:id), or "unmatched": metric labels
// must not carry raw paths, whose number is unbounded.
func routeLabel(c *fiber.Ctx) string {
	// After the chain, c.Route() is the last route that matched. When no route did (404, 405)
	// that is this middleware, mounted at "/", which only GET / itself matches exactly.
	if r := c.Route(); r != nil && (r.Path != "/" || c.Path() == "/") {
		return r.Path
	}
	return "unmatched"
}

// methodLabel returns a constant string: Fiber's c.Method() points into a reused buffer, and
// a metric keeps its label values for ever. Unknown methods share one label.
func methodLabel(m string) string {
	for _, known := range [...]string{"GET", "PUT", "DELETE", "HEAD", "POST", "PATCH", "OPTIONS"} {
		if m == known {
			return known
		}
	}
	return "OTHER"
}

// bodyBytes is the response body's size, or -1 for a streamed body (a multi-page list), whose
// size is not known when the log line is written.
func bodyBytes(c *fiber.Ctx) int {
	if c.Response().IsBodyStream() {
		return -1
	}
	return len(c.Response().Body())
}
