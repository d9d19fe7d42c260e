package http1

import (
	"bytes"
	"io"
	"net"
	"time"
)

// framingConn is a served connection's read side. Its framer follows the requests as they
// arrive, and a head line that breaks RFC 9112 §2.2 ends the reading with the framer's fault.
// sinceLF, the bytes read since the last line feed, tells Guard whether a head that overflowed
// the read buffer did so in its request line (414) or in its headers (431). fasthttp reads a
// connection from one goroutine at a time and runs its handler and error handler on that
// goroutine, so nothing here needs a lock.
type framingConn struct {
	net.Conn // a *boundedWriteConn
	framer   framer
	fault    *fault
	sinceLF  int
	handled  int  // requests fasthttp read in full (Guard's handler counts them)
	refused  bool // Guard refused a request: Close lingers (lingerTimeout)
}

// Close closes the connection; after a refusal it first shuts the write side (the answer is
// sent, then FIN) and discards what the client still sends, until it stops or lingerTimeout.
func (c *framingConn) Close() error {
	if s, ok := socket(c).(*net.TCPConn); ok && c.refused {
		if s.CloseWrite() == nil && s.SetReadDeadline(time.Now().Add(lingerTimeout)) == nil {
			_, _ = io.Copy(io.Discard, s)
		}
	}
	return c.Conn.Close()
}

// requestLine is the start of the request line of the request fasthttp is reading, as it
// arrived: the last one the framer saw if it is the only one not yet handled, or the line in
// progress if it has not ended; nil when neither (pipelined requests make it ambiguous, or
// the framer stopped following the connection).
func (c *framingConn) requestLine() []byte {
	f := &c.framer
	switch {
	case f.lines.ended == c.handled+1:
		return f.lines.last
	case f.lines.ended == c.handled && !f.started && len(f.line) > 0:
		return f.line[:min(len(f.line), keptLineBytes)]
	}
	return nil
}

func (c *framingConn) Read(p []byte) (int, error) {
	if c.fault != nil {
		return 0, c.fault
	}
	n, err := c.Conn.Read(p)
	if good, bad := c.framer.scan(p[:n]); bad != nil {
		// The bytes before the fault go to fasthttp, which then reads the fault: Guard refuses
		// the request and the connection closes, reading nothing after it.
		c.fault, n, err = bad, good, nil
		if n == 0 {
			err = bad
		}
	}
	if i := bytes.LastIndexByte(p[:n], '\n'); i >= 0 {
		c.sinceLF = n - 1 - i
	} else {
		c.sinceLF += n
	}
	return n, err
}
