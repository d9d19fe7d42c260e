package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/acme/objects-api/src/http1"
	"github.com/acme/objects-api/src/object"
	"github.com/acme/objects-api/src/store"
)

// listObjects answers {"objects": [...]} with every object in the table. The first Scan page is
// read before anything is sent, so a backend that is down gets a clean JSON error. When there
// are more pages the body is streamed page by page (chunked), so memory does not grow with the
// table; if a later page fails, the response is aborted (no terminating chunk) so the client
// sees a failed transfer, never a truncated but valid document. At most LIST_MAX_CONCURRENT
// lists run at once (see scanSlots); the slot is held until the last page is sent.
func listObjects(env *handlerEnv) fiber.Handler {
	st, logger := env.st, env.logger
	return func(c *fiber.Ctx) error {
		release, ok := env.scans.take()
		if !ok {
			return env.scans.errFull()
		}
		streamed := false // the stream then owns the slot
		defer func() {
			if !streamed {
				release()
			}
		}()
		pages := st.Scan()
		first, err := pages.Next(c.UserContext(), nil)
		if err != nil {
			return err
		}
		ls := &listStream{pages: pages, logger: logger, id: c.GetRespHeader(HeaderRequestID), release: release}
		ls.buf = ls.appendPage(append(make([]byte, 0, 256+len(first)*72), `{"objects":[`...), first)
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		if !pages.More() {
			return c.Send(append(ls.buf, "]}"...))
		}
		// The stream outlives the handler; each page read has its own DDB_TIMEOUT.
		ls.ctx, streamed = context.Background(), true
		if !c.Context().Request.Header.IsHTTP11() {
			untilClose(c.Context(), ls)
			return nil
		}
		c.Context().SetBodyStream(ls, -1) // a HEAD gets the header only (fasthttp)
		return nil
	}
}

// untilClose sends a multi-page list to an HTTP/1.0 client, which must not get the chunked
// coding (RFC 9112 §7.1): the body has no Content-Length and ends when the connection closes
// (§6.3). fasthttp chunks every body of unknown length, so the connection is hijacked once the
// handlers have returned: the header as they left it, then the body, then close. A HEAD gets
// the header only. A failed page ends the body before the closing "]}", so the document the
// client holds is not valid JSON. The hijacked connection keeps WrapListener's write deadlines;
// Shutdown does not wait for it. body is closed once sent.
func untilClose(fctx *fasthttp.RequestCtx, body io.ReadCloser) {
	head := fctx.IsHead()
	fctx.HijackSetNoResponse(true)
	fctx.Hijack(func(conn net.Conn) {
		defer body.Close()
		h := &fctx.Response.Header
		h.Del(fasthttp.HeaderConnection) // the keep-alive fasthttp answers an HTTP/1.0 keep-alive with
		h.SetContentLength(-2)           // neither Content-Length nor Transfer-Encoding; Connection: close
		if _, err := conn.Write(h.Header()); err != nil || head {
			return
		}
		_, _ = io.Copy(conn, body)
	})
}

// listStream is the body of a multi-page list: an io.Reader that reads the next Scan page
// whenever its buffer is drained. A read error ends the body with that error, which makes
// fasthttp close the connection without the final chunk.
type listStream struct {
	ctx    context.Context
	pages  store.Pages
	logger *slog.Logger
	id     string // the request id, for the log
	buf    []byte
	off    int
	page   []object.Object
	n      int // objects written so far
	done   bool

	release func() // frees the list's scan slot (see Close)
}

// Close frees the list's scan slot. fasthttp calls it once the body is sent, or has failed, or
// the response is dropped (a HEAD, a connection gone); untilClose once it has sent the body.
func (ls *listStream) Close() error {
	ls.release()
	return nil
}

func (ls *listStream) Read(p []byte) (int, error) {
	for ls.off == len(ls.buf) {
		if ls.done {
			return 0, io.EOF
		}
		if err := ls.fill(); err != nil {
			ls.logger.Error("GET /objects aborted mid-stream", "request_id", ls.id, "objects_sent", ls.n, "error", err.Error())
			return 0, err
		}
	}
	n := copy(p, ls.buf[ls.off:])
	ls.off += n
	return n, nil
}

// fill replaces the drained buffer with the next page, or with the closing "]}".
func (ls *listStream) fill() error {
	ls.buf, ls.off = ls.buf[:0], 0
	if !ls.pages.More() {
		ls.buf, ls.done = append(ls.buf, "]}"...), true
		return nil
	}
	var err error
	if ls.page, err = ls.pages.Next(ls.ctx, ls.page); err != nil {
		return err
	}
	ls.buf = ls.appendPage(ls.buf, ls.page)
	return nil
}

func (ls *listStream) appendPage(b []byte, objs []object.Object) []byte {
	for _, o := range objs {
		if ls.n > 0 {
			b = append(b, ',')
		}
		b = o.AppendJSON(b)
		ls.n++
	}
	return b
}

var (
	errClientGone = errors.New("the client closed the connection")
	errStopping   = errors.New("the server is shutting down")
)

// deleteObjects deletes every object and answers 200 once every object that existed when it
// started is gone. It stops when its client goes away, when the server shuts down, or after
// deleteAll.timeout, and then answers (if the client is still there) with a 5xx saying how many
// it deleted at least.
func deleteObjects(env *handlerEnv) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !env.deleteAll.enabled {
			return &apiError{status: fiber.StatusForbidden, msg: "DELETE /objects is switched off on this deployment; delete objects one at a time with DELETE /object/{uuid}"}
		}
		ctx, cancel := context.WithCancelCause(c.UserContext())
		defer cancel(nil)
		stopWatch := http1.WatchClient(c.Context().Conn(), func() { cancel(errClientGone) })
		defer stopWatch()
		defer context.AfterFunc(env.stopping, func() { cancel(errStopping) })()
		ctx, cancelTimeout := context.WithTimeout(ctx, env.deleteAll.timeout)
		defer cancelTimeout()

		n, err := env.st.DeleteAll(ctx)
		if err != nil {
			return &partialDelete{err: err, deletedAtLeast: n}
		}
		return c.JSON(struct {
			Msg     string `json:"msg"`
			Deleted int    `json:"deleted"`
		}{"Objects deleted", n})
	}
}

// partialDelete is a failed DELETE /objects: the store's error, and how many objects it deleted
// at least (a call cut off may have deleted more without saying so), which the error body
// carries as deleted_at_least.
type partialDelete struct {
	err            error
	deletedAtLeast int
}

func (e *partialDelete) Error() string { return e.err.Error() }

func (e *partialDelete) Unwrap() error { return e.err }

// body is the error body {"error": msg, "deleted_at_least": n}.
func (e *partialDelete) body(msg string) []byte {
	b, _ := json.Marshal(struct { // a string and an int always encode
		Error          string `json:"error"`
		DeletedAtLeast int    `json:"deleted_at_least"`
	}{msg, e.deletedAtLeast})
	return b
}
