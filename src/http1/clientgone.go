//go:build unix

package http1

import (
	"errors"
	"net"
	"syscall"
	"time"
)

// WatchClient calls gone once the peer of conn has closed the connection (or reset it),
// until the returned stop is called. fasthttp does not cancel a handler's context when its
// client goes away, and nothing reads the connection while a handler runs, so the watcher
// peeks at the socket (MSG_PEEK consumes nothing): end-of-file means the client left. Bytes
// waiting (a pipelined request) mean it is still there; the watch then ends.
//
// stop unblocks the watcher with a read deadline in the past; fasthttp sets its own read
// deadline before it reads the next request.
func WatchClient(conn net.Conn, gone func()) (stop func()) {
	conn = socket(conn)
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return func() {} // in-process tests (Fiber's app.Test) have no socket
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var b [1]byte
		closed := false
		_ = rc.Read(func(fd uintptr) bool {
			n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
			if errors.Is(err, syscall.EAGAIN) {
				return false // nothing yet: wait until the socket is readable
			}
			closed = n == 0 || err != nil
			return true
		})
		if closed {
			gone()
		}
	}()
	return func() {
		_ = conn.SetReadDeadline(time.Unix(1, 0))
		<-done
	}
}
