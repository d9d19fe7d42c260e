//go:build !unix

package http1

import "net"

// WatchClient does nothing where the socket cannot be peeked at: a DELETE /objects whose
// client went away then runs until DELETE_ALL_TIMEOUT.
func WatchClient(net.Conn, func()) (stop func()) { return func() {} }
