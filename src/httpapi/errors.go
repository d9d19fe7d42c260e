package httpapi

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/acme/objects-api/src/store"
)

// apiError is an error with the HTTP status and message to send.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

// storeStatus maps the store's failure kinds to HTTP statuses.
var storeStatus = map[store.Kind]int{
	store.Unavailable: fiber.StatusServiceUnavailable,
	store.Timeout:     fiber.StatusGatewayTimeout,
	store.Rejected:    fiber.StatusBadGateway,
}

// Headers every response carries.
const (
	// HeaderRequestID carries a request's id: honoured when the client sends a usable one
	// (observe), generated otherwise, and always returned in the response.
	HeaderRequestID = "X-Request-ID"
	// HeaderContentTypeOptions is sent as nosniff: browsers must not guess a type other than
	// the one declared.
	HeaderContentTypeOptions = "X-Content-Type-Options"
)

// writeError writes every error response of the API: status, a JSON body {"error": msg}, and
// the headers: X-Request-ID (generated when the request has none yet: it was refused before
// observe ran), nosniff, and Retry-After on a 503. A 5xx message ends with the request id,
// which the log line with the details carries too. It returns the request id.
func writeError(c *fiber.Ctx, status int, msg string) string {
	id := c.GetRespHeader(HeaderRequestID)
	if id == "" {
		id = uuid.NewString()
		c.Set(HeaderRequestID, id)
	}
	c.Set(HeaderContentTypeOptions, "nosniff")
	if status >= 500 {
		msg += " (request id " + id + ")"
	}
	if status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, "1")
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	c.Response().SetBodyRaw(errorBody(msg))
	return id
}

// errorHandler answers the errors of routed requests. A 5xx body says what failed and what to
// do; the details (endpoint, dial error, SDK text) go only to the log line carrying the request
// id. routes lists the routes, for the 404 message.
func errorHandler(logger *slog.Logger, routes string) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status, msg := classify(c, err, routes)
		id := writeError(c, status, msg)
		if pd := (*partialDelete)(nil); errors.As(err, &pd) {
			// The body also says how many objects are known to be gone (deleted_at_least).
			c.Response().SetBodyRaw(pd.body(msg + " (request id " + id + ")"))
		}
		if status >= 500 {
			level, what := slog.LevelError, "request failed"
			if ae := (*apiError)(nil); errors.As(err, &ae) {
				// The API's own refusal (the list cap), not a failure: any client can cause it, so
				// it must not reach the error alarms.
				level, what = slog.LevelWarn, "request refused"
			}
			logger.Log(c.UserContext(), level, what, "method", c.Method(), "path", clip(c.Path()), "status", status,
				"request_id", id, "error", err.Error())
		}
		return nil
	}
}

func classify(c *fiber.Ctx, err error, routes string) (int, string) {
	var ae *apiError
	var se *store.Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &ae):
		return ae.status, ae.msg
	case errors.As(err, &se):
		if st, ok := storeStatus[se.Kind]; ok {
			return st, se.Msg
		}
	case errors.As(err, &fe):
		switch fe.Code {
		case fiber.StatusNotFound:
			return fe.Code, fmt.Sprintf("no route %s %s; the routes are %s; see GET /docs or /openapi.json", clip(c.Method()), clip(c.Path()), routes)
		case fiber.StatusMethodNotAllowed:
			return fe.Code, fmt.Sprintf("method %s is not allowed on %s; allowed: %s", clip(c.Method()), clip(c.Path()), c.GetRespHeader(fiber.HeaderAllow))
		}
		return fe.Code, fe.Message
	}
	return fiber.StatusInternalServerError, "internal error; retry, and report it with the request id if it persists"
}

func notFound(id string) error {
	return &apiError{status: fiber.StatusNotFound, msg: "object " + id + " not found"}
}

// clip bounds a client-chosen string (a path, a method) for a log line or an error message: 64
// bytes at most, then "...". A request line may be 8 KiB; neither should repeat it.
func clip[T string | []byte](s T) string {
	const keep = 64
	if len(s) > keep {
		return string(s[:keep]) + "..."
	}
	return string(s)
}
