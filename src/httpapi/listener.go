package httpapi

import (
	"bytes"
	"net"
	"sync"
	"sync/atomic"
)

// WrapListener wraps the listener the app serves on (main: app.Listener(WrapListener(ln))).
// Its connections give guardRequests what it needs to answer an over-long request line 414
// rather than 431, and it fixes graceful shutdown:
//
// fasthttp v1.51 marks a connection active before it has read a byte of its first request, and
// Shutdown closes only idle connections. A client connection that never sent a request (a
// browser's preconnect, a pooled connection an HTTP client dialed but did not need) therefore
// holds Shutdown until ReadTimeout, longer than main's shutdown timeout: SIGTERM then ends in
// "context deadline exceeded" and exit status 1. Shutdown closes the listener first; when it
// does, WrapListener closes the connections that have not sent a byte. Connections with a
// request in flight are left alone, and fasthttp closes the idle keep-alive ones itself.
func WrapListener(ln net.Listener) net.Listener {
	return &trackingListener{Listener: ln, conns: make(map[*trackedConn]struct{})}
}

type trackingListener struct {
	net.Listener
	mu     sync.Mutex
	conns  map[*trackedConn]struct{}
	closed bool
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
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

// Close stops accepting and closes the connections that have not sent anything yet.
func (l *trackingListener) Close() error {
	err := l.Listener.Close()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	for c := range l.conns {
		if !c.used.Load() {
			_ = c.Conn.Close()
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
}

func (c *trackedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
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

func (c *trackedConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c)
	c.l.mu.Unlock()
	return c.Conn.Close()
}
