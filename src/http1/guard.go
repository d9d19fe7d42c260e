// Package http1 is the API's HTTP/1.1 transport (RFC 9112) on fasthttp: it holds clients to
// the message syntax and to the size and time limits (limits.go), hands every request it
// refuses to one function of the caller's, bounds writes to clients that stop reading, and lets
// a graceful shutdown drain. Guard wires it into a server, WrapListener into its listener;
// WatchClient tells a long handler that its client left.
package http1

import (
	"github.com/valyala/fasthttp"
)

// Refusal is a request refused before any handler ran, for the caller to answer and record.
type Refusal struct {
	Status int    // the status to answer with
	Msg    string // what was wrong, in fixed words: it never quotes the request
	// Method and Target are the request line's, as parsed. They are nil when fasthttp could not
	// parse it (a line too long, a malformed one, a head that never arrived in full) or has
	// discarded it (a body it could not read); RequestLine is then the start of the line as it
	// arrived (at most 128 bytes), or nil when that is not known. All point into buffers that
	// are reused: valid during the call only.
	Method, Target, RequestLine []byte
}

// Refuse answers a refused request: it writes the response, with status r.Status, into ctx.
// Guard closes the connection after each of its refusals; the caller may use the same Refuse
// for refusals of its own.
type Refuse func(ctx *fasthttp.RequestCtx, r Refusal)

// Guard sets srv's limits (limits.go) and makes it refuse, through refuse, every request that
// fasthttp cannot parse or that RFC 9112 forbids or leaves ambiguous (framingFault), so that
// none is answered by fasthttp's own plain-text errors; the connection is closed after each, on
// a WrapListener connection only once the client stops sending or after lingerTimeout.
// A request refused for its head (its framing, or a Content-Length over the limit) has its body
// left unread and gets no 100 Continue first: RFC 9110 §10.1.1 asks for the final status
// instead. Call it before serving and after setting srv.Handler, which it wraps.
func Guard(srv *fasthttp.Server, refuse Refuse) {
	srv.ReadBufferSize = maxHeadBytes
	srv.MaxRequestBodySize = maxBodyBytes
	srv.ReadTimeout = readTimeout
	srv.IdleTimeout = idleTimeout
	srv.SecureErrorLogMessage = true // fasthttp's error texts quote no request bytes
	next := srv.Handler
	srv.HeaderReceived = func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		if http1x(h.Protocol()) {
			h.SetProtocol("HTTP/1.1")
		}
		if framingFault(h) != nil {
			h.SetContentLength(0) // the handler refuses it: its body is not read
			h.SetConnectionClose()
			h.Del(fasthttp.HeaderExpect)
		} else if h.ContentLength() > maxBodyBytes {
			h.Del(fasthttp.HeaderExpect) // fasthttp then refuses it (413) before reading the body
		}
		return fasthttp.RequestConfig{}
	}
	srv.Handler = func(ctx *fasthttp.RequestCtx) {
		fc, wrapped := ctx.Conn().(*framingConn)
		if wrapped {
			fc.handled++
		}
		if f := framingFault(&ctx.Request.Header); f != nil {
			if wrapped {
				fc.refused = true
			}
			ctx.SetConnectionClose()
			refuse(ctx, Refusal{Status: f.status, Msg: f.msg, Method: ctx.Method(), Target: ctx.RequestURI()})
			return
		}
		next(ctx)
	}
	srv.ErrorHandler = func(ctx *fasthttp.RequestCtx, err error) {
		// The read buffer has been discarded by now: if it held no line feed, the request line
		// itself did not fit.
		fc, wrapped := ctx.Conn().(*framingConn)
		if wrapped {
			fc.refused = true
		}
		f := parseFault(err, wrapped && fc.sinceLF >= maxHeadBytes)
		r := Refusal{Status: f.status, Msg: f.msg}
		if h := &ctx.Request.Header; len(h.RawHeaders()) > 0 {
			// The head is still there (fasthttp resets it when it cannot read it, or the body):
			// its URI, or a Content-Length over the limit, is what failed.
			r.Method, r.Target = h.Method(), h.RequestURI()
		} else if wrapped {
			r.RequestLine = fc.requestLine()
		}
		refuse(ctx, r)
	}
}
