package httpapi

import (
	"fmt"
	"log/slog"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/acme/objects-api/src/http1"
)

// Requests refused before routing: http1.Guard's (framing, limits, the read timeout, what
// fasthttp cannot parse) and those with a method Fiber does not route. observe never sees
// them, so refuser answers, logs and counts each itself.

// refuser answers a refused request with writeError, writes one log line at WARN and counts it
// in the requests metric under the route "refused". Each is the client's doing, the 501s and
// 505s included (a method, a coding or a version it chose), so none is logged as an error. The
// method and target may hold any bytes: they are clipped and quoted. A request whose request
// line was not parsed is logged with what arrived of that line (unparsed_request_line, or
// unknown) and counted under the method "unparsed", never as the GET / fasthttp defaults to.
func refuser(app *fiber.App, logger *slog.Logger, m *Metrics) http1.Refuse {
	return func(fctx *fasthttp.RequestCtx, r http1.Refusal) {
		c := app.AcquireCtx(fctx)
		defer app.ReleaseCtx(c)
		id := writeError(c, r.Status, r.Msg)
		method := "unparsed"
		var attrs []slog.Attr
		switch {
		case r.Method != nil:
			method = methodLabel(string(r.Method))
			attrs = append(attrs, slog.String("method", strconv.Quote(clip(r.Method))),
				slog.String("target", strconv.Quote(clip(r.Target))))
		case r.RequestLine != nil:
			attrs = append(attrs, slog.String("unparsed_request_line", strconv.Quote(clip(r.RequestLine))))
		default:
			attrs = append(attrs, slog.String("unparsed_request_line", "unknown"))
		}
		m.countRefused(method, r.Status)
		logger.LogAttrs(c.UserContext(), slog.LevelWarn, "request refused", append(attrs,
			slog.Int("status", r.Status), slog.String("error", r.Msg), slog.String("request_id", id))...)
	}
}

// refuseUnknownMethods wraps next (Fiber's handler) to refuse a method Fiber does not know
// (e.g. FOO, or a lowercase get), which Fiber answers 400 with the plain text "Invalid http
// method": RFC 9110 §15.6.2 says 501, and every error here is JSON. known is Fiber's methods;
// implemented lists the API's, for the message. The connection stays open: its body was read.
func refuseUnknownMethods(next fasthttp.RequestHandler, known []string, implemented string, refuse http1.Refuse) fasthttp.RequestHandler {
	return func(fctx *fasthttp.RequestCtx) {
		if m := fctx.Method(); !knownMethod(known, m) {
			refuse(fctx, http1.Refusal{Status: fiber.StatusNotImplemented, Method: m, Target: fctx.RequestURI(),
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
