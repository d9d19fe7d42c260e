package httpapi

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Two kinds of request never reach Fiber's router or its ErrorHandler unaided:
//
//   - A method Fiber does not know (e.g. FOO, or a lowercase get): Fiber answers 400 with the
//     plain text "Invalid http method". RFC 9110 §15.6.2 says 501, and every error here is JSON.
//   - A request line and headers that overflow the read buffer (maxHeaderBytes): fasthttp gives up
//     with ErrSmallBuffer and Fiber answers 431, even when it is the URL that is too long, which
//     RFC 9110 §15.5.15 answers 414. The buffer has been discarded by then, so WrapListener's
//     connections remember how many bytes arrived since the last line feed: if the whole buffer
//     holds no line feed, the request line itself did not fit.
//
// guardRequests puts both through the app's error handler, and with them every request fasthttp
// cannot parse (parseFault) or parses but RFC 9112 forbids (framingFault): each is answered with
// a fixed message saying what was wrong, never with what it carried, and the connection closed.
func guardRequests(app *fiber.App) {
	srv := app.Server()
	srv.SecureErrorLogMessage = true
	methods := app.Config().RequestMethods
	next := srv.Handler
	srv.HeaderReceived = func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		if http1x(h.Protocol()) {
			h.SetProtocol("HTTP/1.1")
		}
		if framingFault(h) != nil {
			h.SetContentLength(0) // the handler refuses it: its body is not read
			h.SetConnectionClose()
		}
		return fasthttp.RequestConfig{}
	}
	srv.Handler = func(fctx *fasthttp.RequestCtx) {
		if err := framingFault(&fctx.Request.Header); err != nil {
			fctx.SetConnectionClose()
			answer(app, fctx, err)
			return
		}
		if !knownMethod(methods, fctx.Method()) {
			answer(app, fctx, fiber.NewError(fiber.StatusNotImplemented, fmt.Sprintf(
				"method %q is not implemented; the API answers %s", clip(fctx.Method()), implementedMethods())))
			return
		}
		next(fctx)
	}
	srv.ErrorHandler = func(fctx *fasthttp.RequestCtx, err error) {
		var small *fasthttp.ErrSmallBuffer
		if !errors.As(err, &small) {
			answer(app, fctx, parseFault(err))
			return
		}
		size := srv.ReadBufferSize
		if tc, ok := fctx.Conn().(*trackedConn); ok && tc.sinceLF >= size {
			answer(app, fctx, fiber.NewError(fiber.StatusRequestURITooLong, fmt.Sprintf(
				"the request line (method, URL and protocol) is longer than %d bytes", size)))
			return
		}
		answer(app, fctx, fiber.NewError(fiber.StatusRequestHeaderFieldsTooLarge, fmt.Sprintf(
			"the request line and headers together are longer than %d bytes", size)))
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

// answer sends err through the app's error handler, which writes the JSON body.
func answer(app *fiber.App, fctx *fasthttp.RequestCtx, err error) {
	c := app.AcquireCtx(fctx)
	defer app.ReleaseCtx(c)
	if app.ErrorHandler(c, err) != nil {
		fctx.SetStatusCode(fiber.StatusInternalServerError)
	}
}

// clip shortens a client-supplied token for an error message.
func clip(b []byte) string {
	const show = 32
	if len(b) > show {
		return string(b[:show]) + "..."
	}
	return string(b)
}
