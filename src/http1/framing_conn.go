package http1

import (
	"bytes"
	"net"
)

// framingConn is a served connection's read side. Its framer follows the requests as they
// arrive, and a head line that breaks RFC 9112 §2.2 ends the reading with the framer's fault.
// sinceLF, the bytes read since the last line feed, tells Guard whether a head that overflowed
// the read buffer did so in its request line (414) or in its headers (431). fasthttp reads a
// connection from one goroutine at a time and runs its error handler on that goroutine, so
// nothing here needs a lock.
type framingConn struct {
	net.Conn // a *boundedWriteConn
	framer   framer
	fault    *fault
	sinceLF  int
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
