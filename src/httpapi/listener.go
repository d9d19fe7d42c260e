package httpapi

import (
	"bytes"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Write deadlines. fasthttp's WriteTimeout is one deadline for a whole response, which would cut
// off a slow client of a long GET /objects that is still reading; without it a client that
// stops reading holds its connection (and the unsent response) for ever. So every write gets
// its own deadline: a response that makes no progress for WriteStallTimeout is abandoned and
// the connection closed. Once Shutdown has begun, a write may stall for drainStallTimeout only,
// so that a client that stopped reading cannot hold the shutdown past its timeout.
const (
	WriteStallTimeout = 30 * time.Second
	drainStallTimeout = 2 * time.Second
	// writeSlice bounds one write, so that a deadline measures progress, not a whole 1 MB page.
	writeSlice = 64 << 10
	// sendBuffer is each connection's socket send buffer. A blocked write resumes only once the
	// kernel has sent about a third of it, so its size sets how much a slow client must take in
	// per WriteStallTimeout to count as reading: with Linux's autotuned buffer (up to 4 MiB)
	// that would be ~1.3 MiB; with this one (doubled by the kernel) it is ~170 KiB, ~6 KiB/s.
	sendBuffer = 256 << 10
)

// WrapListener wraps the listener the app serves on (Serve does). Its connections give
// guardRequests what it needs to answer an over-long request line 414 rather than 431, follow
// the request framing (framing_conn.go), bound writes (WriteStallTimeout, above), and speed up
// graceful shutdown:
//
// Shutdown closes only idle connections, and fasthttp (v1.51: never; v1.79: once it is 5 s old)
// counts a client connection that never sent a request (a browser's preconnect, a pooled
// connection an HTTP client dialed but did not need) as idle late, so it held SIGTERM up to
// ReadTimeout. Shutdown closes the listener first; when it does, WrapListener closes the
// connections that have not sent a byte. Connections with a request in flight are left alone,
// and fasthttp closes the idle keep-alive ones itself.
func WrapListener(ln net.Listener) net.Listener { return wrapListener(ln, WriteStallTimeout) }

// wrapListener is WrapListener with a write stall timeout of stall (tests use a short one).
func wrapListener(ln net.Listener, stall time.Duration) *trackingListener {
	return &trackingListener{Listener: ln, conns: make(map[*trackedConn]struct{}), stall: stall}
}

type trackingListener struct {
	net.Listener
	stall    time.Duration
	draining atomic.Bool // Close was called: writes get drainStallTimeout
	mu       sync.Mutex
	conns    map[*trackedConn]struct{}
	closed   bool
}

// writeStall is how long a write may make no progress.
func (l *trackingListener) writeStall() time.Duration {
	if l.draining.Load() {
		return min(l.stall, drainStallTimeout)
	}
	return l.stall
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if tcp, ok := c.(*net.TCPConn); ok {
		_ = tcp.SetWriteBuffer(sendBuffer)
	}
	tc := &trackedConn{Conn: c, l: l}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		_ = c.Close()
		return nil, net.ErrClosed
	}
	l.conns[tc] = struct{}{}
	return tc, nil
}

// Close stops accepting, closes the connections that have not sent anything yet and shortens
// the deadline of writes in progress to drainStallTimeout.
func (l *trackingListener) Close() error {
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

// trackedConn is a served connection. sinceLF counts the bytes read since the last line feed;
// fasthttp reads a connection from one goroutine at a time and runs its error handler on that
// goroutine, so it needs no lock. used is read by the listener's Close, from another goroutine.
type trackedConn struct {
	net.Conn
	l       *trackingListener
	sinceLF int
	used    atomic.Bool
	writing atomic.Bool // a Write is in progress
	framer  framer      // framing_conn.go
	fault   error       // errLineEnding once the framer found one
}

func (c *trackedConn) Read(p []byte) (int, error) {
	if c.fault != nil {
		return 0, c.fault
	}
	n, err := c.Conn.Read(p)
	if good, ok := c.framer.scan(p[:n]); !ok {
		// The bytes before the bare LF go to fasthttp, which then reads the error: it answers
		// (parseFault) and closes, reading nothing after it.
		c.fault, n, err = errLineEnding, good, nil
		if n == 0 {
			err = errLineEnding
		}
	}
	if n > 0 && !c.used.Load() {
		c.used.Store(true)
	}
	if i := bytes.LastIndexByte(p[:n], '\n'); i >= 0 {
		c.sinceLF = n - 1 - i
	} else {
		c.sinceLF += n
	}
	return n, err
}

// Write writes p in slices of at most writeSlice, each with a fresh deadline: the response
// goes on as long as the client keeps reading.
func (c *trackedConn) Write(p []byte) (int, error) {
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
func (c *trackedConn) setWriteDeadline() error {
	now, stall := time.Now(), c.l.writeStall()
	if err := c.SetWriteDeadline(now.Add(stall)); err != nil {
		return err
	}
	if again := c.l.writeStall(); again != stall {
		return c.SetWriteDeadline(now.Add(again))
	}
	return nil
}

func (c *trackedConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c)
	c.l.mu.Unlock()
	return c.Conn.Close()
}
