package http1

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/valyala/fasthttp"
)

// Request framing (RFC 9112). fasthttp v1.79 refuses, and closes the connection on, most
// ambiguous framing itself: two Content-Length headers, a Transfer-Encoding other than chunked
// or identity, two Transfer-Encoding headers, control bytes or a bare CR in the request target,
// a header name or value, a header line without a colon, a missing or second Host, a malformed
// chunk. framingFault refuses what it still lets through:
//
//   - a version other than HTTP/1.x: fasthttp serves HTTP/2.0 as HTTP/1.0 (505, RFC 9110
//     §15.6.6, as net/http). HTTP/1.2 to 1.9 are served as HTTP/1.1 (RFC 9110 §2.5, as net/http:
//     see http1x);
//   - Transfer-Encoding: identity, which fasthttp ignores (501, RFC 9112 §6.1: no such coding);
//   - Content-Length together with Transfer-Encoding: fasthttp reads the chunked body and
//     answers; RFC 9112 §6.3 lets a server do that, but a proxy in front may frame the same
//     bytes by the Content-Length, so the request is refused (400);
//   - header lines ending in a bare LF: RFC 9112 §2.2 lets a server accept them, as net/http
//     does, but a proxy in front may not split the lines the same way (400). On WrapListener's
//     connections the framer (framer.go) finds them first, and bare CRs, as they arrive; this
//     check covers connections served without it (ServeConn, Fiber's app.Test);
//   - a header name with a byte that is not a token character (RFC 9110 §5.1), a space
//     included: fasthttp accepts "X A: b"; a proxy may read it as another field (400, as
//     net/http). obs-fold continuation lines, which fasthttp joins to the previous value, are
//     not names;
//   - an Expect other than 100-continue, which fasthttp ignores (417, RFC 9110 §10.1.1, as
//     net/http).
//
// It runs twice per request: when the header is read (HeaderReceived), so that the body of a
// refused request is not read, and in the handler, which refuses it and closes the connection.
func framingFault(h *fasthttp.RequestHeader) *fault {
	if p := h.Protocol(); string(p) != "HTTP/1.1" && string(p) != "HTTP/1.0" && !http1x(p) {
		return errVersion
	}
	raw := h.RawHeaders()
	var cl, te, chunked, unmetExpect bool
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\n')
		if i <= 0 || raw[i-1] != '\r' {
			return errBareLF
		}
		line := raw[:i-1]
		raw = raw[i+1:]
		if len(line) == 0 || line[0] == ' ' || line[0] == '\t' {
			continue
		}
		if name, _, ok := bytes.Cut(line, []byte{':'}); ok && !isToken(name) {
			return errFieldName
		}
		switch line[0] | 0x20 {
		case 'c':
			cl = cl || isField(line, "content-length")
		case 'e':
			if isField(line, "expect") {
				v := bytes.Trim(line[len("expect:"):], " \t") // empty: no expectation (as net/http)
				unmetExpect = unmetExpect || len(v) > 0 && !hasToken(v, "100-continue")
			}
		case 't':
			if isField(line, "transfer-encoding") {
				te = true
				chunked = bytes.EqualFold(bytes.Trim(line[len("transfer-encoding:"):], " \t"), []byte("chunked"))
			}
		}
	}
	switch {
	case cl && te:
		return errBothLengths
	case te && !chunked: // identity: the only coding fasthttp ignores rather than refuses
		return errTransferCoding
	case unmetExpect:
		return errExpectation
	}
	return nil
}

// hasToken reports whether the comma-separated list v holds token (ASCII, any case).
func hasToken(v []byte, token string) bool {
	for _, t := range bytes.Split(v, []byte{','}) {
		if bytes.EqualFold(bytes.Trim(t, " \t"), []byte(token)) {
			return true
		}
	}
	return false
}

// http1x reports whether p is HTTP/1.2 to HTTP/1.9, versions a server processes as the highest
// HTTP/1 minor version it implements (RFC 9110 §2.5). fasthttp treats every version but
// HTTP/1.1 as HTTP/1.0, so HeaderReceived sets such a request's version to HTTP/1.1.
func http1x(p []byte) bool {
	return len(p) == 8 && string(p[:7]) == "HTTP/1." && p[7] >= '2' && p[7] <= '9'
}

// isField reports whether the header line is the field name (ASCII, any case) followed by ':'.
func isField(line []byte, name string) bool {
	if len(line) <= len(name) || line[len(name)] != ':' {
		return false
	}
	for i := 0; i < len(name); i++ {
		if line[i]|0x20 != name[i] { // name is lowercase letters and '-'
			return false
		}
	}
	return true
}

// isToken reports whether b is a token (RFC 9110 §5.6.2): one or more of the visible ASCII
// characters other than the delimiters.
func isToken(b []byte) bool {
	for _, c := range b {
		if !tchar[c] {
			return false
		}
	}
	return len(b) > 0
}

// tchar is the set of token characters, as a table: a header name is checked on every request.
var tchar = func() (t [256]bool) {
	for c := '!'; c <= '~'; c++ {
		t[c] = !strings.ContainsRune(`"(),/:;<=>?@[\]{}`, c)
	}
	return t
}()

// fault is why a request is refused: its status, and a fixed message saying what was wrong,
// never quoting the request's bytes.
type fault struct {
	status int
	msg    string
}

func (f *fault) Error() string { return f.msg }

// malformed is a 400 for a request whose framing breaks RFC 9112 in the way what says.
func malformed(what string) *fault {
	return &fault{fasthttp.StatusBadRequest, "malformed request: " + what}
}

var (
	errVersion = &fault{fasthttp.StatusHTTPVersionNotSupported,
		"HTTP version not supported; the API speaks HTTP/1.1 (and HTTP/1.0)"}
	errTransferCoding = &fault{fasthttp.StatusNotImplemented,
		"Transfer-Encoding not implemented; the API reads Content-Length or chunked bodies"}
	errExpectation = &fault{fasthttp.StatusExpectationFailed,
		"an expectation the API cannot meet; Expect: 100-continue is the only one it knows"}
	errTimeout = &fault{fasthttp.StatusRequestTimeout,
		"the request did not arrive in full within the read timeout"}
	errBodyTooLarge = &fault{fasthttp.StatusRequestEntityTooLarge,
		fmt.Sprintf("the request body is larger than %d KiB; no route reads a body", maxBodyBytes>>10)}
	errLineTooLong = &fault{fasthttp.StatusRequestURITooLong,
		fmt.Sprintf("the request line (method, URL and protocol) is longer than %d bytes", maxHeadBytes)}
	errHeadTooLarge = &fault{fasthttp.StatusRequestHeaderFieldsTooLarge,
		fmt.Sprintf("the request line and headers together are longer than %d bytes", maxHeadBytes)}

	errBareLF      = malformed("header lines must end in CRLF (RFC 9112 §2.2)")
	errBareCR      = malformed("a CR not followed by LF in the request line or headers (RFC 9112 §2.2)")
	errFieldName   = malformed("a header name that is not a token (RFC 9110 §5.1); no space before the colon")
	errBothLengths = malformed("Content-Length and Transfer-Encoding together (RFC 9112 §6.3)")
	errMalformed   = malformed("the request line or a header does not follow RFC 9112 (HTTP/1.1)")
	errBrokenChunk = malformed("the chunked body does not follow RFC 9112 §7.1")
	errTwoLengths  = malformed("more than one Content-Length header (RFC 9112 §6.3)")
)

// parseFault is the refusal of a request fasthttp could not read: err is what it met.
// requestLineTooLong says whether the read buffer filled up before the request line ended
// (see Guard).
func parseFault(err error, requestLineTooLong bool) *fault {
	var f *fault // the framer's, from a WrapListener connection's Read
	var netErr net.Error
	var chunk fasthttp.ErrBrokenChunk
	var small *fasthttp.ErrSmallBuffer
	switch {
	case errors.As(err, &f):
		return f
	case errors.As(err, &small) && requestLineTooLong:
		return errLineTooLong
	case errors.As(err, &small):
		return errHeadTooLarge
	case errors.As(err, &netErr) && netErr.Timeout():
		return errTimeout
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		return errBodyTooLarge
	case errors.Is(err, fasthttp.ErrUnsupportedTransferEncoding):
		return errTransferCoding
	case errors.Is(err, fasthttp.ErrDuplicateContentLength):
		return errTwoLengths
	case errors.As(err, &chunk):
		return errBrokenChunk
	}
	return errMalformed
}
