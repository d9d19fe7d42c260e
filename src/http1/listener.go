package http1

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// A WrapListener connection is two wrappers, one per direction: a framingConn (reads,
// framing_conn.go) around a boundedWriteConn (writes, and what the listener's drain needs).

// WrapListener wraps the listener a Guard-ed server serves on. Its connections follow the
// request framing as it arrives (framer.go), remember what Guard needs to answer an over-long
// request line 414 rather than 431, bound every write (writeStallTimeout), and speed up
// graceful shutdown:
//
// Shutdown closes only idle connections, and fasthttp (v1.79) counts a client connection that
// never sent a request (a browser's preconnect, a pooled connection an HTTP client dialed but
// did not need) as idle only once it is 5 s old, so such connections would hold up SIGTERM. Shutdown closes the listener first; when it does, the wrapper closes the
// connections that have not sent a byte and shortens the write deadlines of the others to
// drainStallTimeout. Connections with a request in flight are left to finish, and fasthttp
// closes the idle keep-alive ones itself.
func WrapListener(ln net.Listener) net.Listener { return wrapListener(ln, writeStallTimeout) }

// wrapListener is WrapListener with a write stall timeout of stall (tests use a short one).
func wrapListener(ln net.Listener, stall time.Duration) *drainingListener {
	return &drainingListener{Listener: ln, conns: make(map[*boundedWriteConn]struct{}), stall: stall}
}

type drainingListener struct {
	net.Listener
	stall    time.Duration
	draining atomic.Bool // Close was called: writes get drainStallTimeout
	mu       sync.Mutex
	conns    map[*boundedWriteConn]struct{}
	closed   bool
}

// writeStall is how long a write may make no progress.
func (l *drainingListener) writeStall() time.Duration {
	if l.draining.Load() {
		return min(l.stall, drainStallTimeout)
	}
	return l.stall
}

func (l *drainingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if tcp, ok := c.(*net.TCPConn); ok {
		_ = tcp.SetWriteBuffer(sendBuffer)
	}
	return l.wrap(c)
}

// wrap tracks c for the drain and returns it wrapped, or closes it if the listener is closed.
func (l *drainingListener) wrap(c net.Conn) (net.Conn, error) {
	bc := &boundedWriteConn{Conn: c, l: l}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		_ = c.Close()
		return nil, net.ErrClosed
	}
	l.conns[bc] = struct{}{}
	return &framingConn{Conn: bc}, nil
}

func (l *drainingListener) forget(c *boundedWriteConn) {
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
}

// Close stops accepting, closes the connections that have not sent anything yet and shortens
// the deadline of writes in progress to drainStallTimeout.
func (l *drainingListener) Close() error {
	err := l.Listener.Close()
	l.draining.Store(true)
	deadline := time.Now().Add(l.writeStall())
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	for c := range l.conns {
		if !c.used.Load() {
			_ = c.Conn.Close()
		} else if c.writing.Load() {
			_ = c.SetWriteDeadline(deadline)
		}
	}
	return err
}

// boundedWriteConn is a served connection's write side: every write slice gets a deadline
// (writeStallTimeout, or drainStallTimeout once the listener is draining). used and writing
// are what the listener's Close reads, from another goroutine.
type boundedWriteConn struct {
	net.Conn
	l       *drainingListener
	used    atomic.Bool // a byte has been read
	writing atomic.Bool // a Write is in progress
}

func (c *boundedWriteConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && !c.used.Load() {
		c.used.Store(true)
	}
	return n, err
}

// Write writes p in slices of at most writeSlice, each with a fresh deadline: the response
// goes on as long as the client keeps reading.
func (c *boundedWriteConn) Write(p []byte) (int, error) {
	c.writing.Store(true)
	defer c.writing.Store(false)
	written := 0
	for len(p) > 0 {
		n := min(len(p), writeSlice)
		if err := c.setWriteDeadline(); err != nil {
			return written, err
		}
		m, err := c.Conn.Write(p[:n])
		written += m
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

// setWriteDeadline sets the deadline for the next slice. If Close began draining meanwhile,
// its shorter deadline may have been overwritten, so it is set again.
func (c *boundedWriteConn) setWriteDeadline() error {
	now, stall := time.Now(), c.l.writeStall()
	if err := c.SetWriteDeadline(now.Add(stall)); err != nil {
		return err
	}
	if again := c.l.writeStall(); again != stall {
		return c.SetWriteDeadline(now.Add(again))
	}
	return nil
}

func (c *boundedWriteConn) Close() error {
	c.l.forget(c)
	return c.Conn.Close()
}

// socket is the connection a WrapListener connection wraps (itself for any other).
func socket(conn net.Conn) net.Conn {
	if fc, ok := conn.(*framingConn); ok {
		conn = fc.Conn
	}
	if bc, ok := conn.(*boundedWriteConn); ok {
		conn = bc.Conn
	}
	return conn
}
