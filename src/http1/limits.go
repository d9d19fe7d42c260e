package http1

import "time"

// The sizes and times a client is held to. Guard sets the server's; the connections of
// WrapListener apply the write bounds.
const (
	// maxHeadBytes bounds the request line and headers (fasthttp's read buffer): over it a
	// request is answered 414 (the request line alone is longer) or 431.
	maxHeadBytes = 8 << 10
	// maxBodyBytes bounds a request body (413). The API's routes read no body: this only bounds
	// what a client can make the server buffer.
	maxBodyBytes = 64 << 10

	// readTimeout bounds how long a request may take to arrive in full (408), so that a client
	// that never finishes its headers (slowloris) cannot hold a connection.
	readTimeout = 30 * time.Second
	// idleTimeout is how long a keep-alive connection may wait for its next request.
	idleTimeout = 75 * time.Second

	// writeStallTimeout: fasthttp's WriteTimeout is one deadline for a whole response, which
	// would cut off a slow client of a long GET /objects that is still reading; without it a
	// client that stops reading holds its connection (and the unsent response) for ever. So
	// every write gets its own deadline: a response that makes no progress for
	// writeStallTimeout is abandoned and the connection closed.
	writeStallTimeout = 30 * time.Second
	// drainStallTimeout replaces writeStallTimeout once the listener is closed (Shutdown has
	// begun), so that a client that stopped reading cannot hold the shutdown past its timeout.
	drainStallTimeout = 2 * time.Second
	// lingerTimeout is how long a connection closed after a refusal keeps reading (and
	// discarding) what the client is still sending, its answer already sent and its write side
	// shut: closing with unread data would reset the connection, and a client still sending
	// would then see its upload fail rather than read the answer. net/http waits 500 ms too.
	lingerTimeout = 500 * time.Millisecond
	// writeSlice bounds one write, so that a deadline measures progress, not a whole 1 MB page.
	writeSlice = 64 << 10
	// sendBuffer is each connection's socket send buffer. A blocked write resumes only once the
	// kernel has sent about a third of it, so its size sets how much a slow client must take in
	// per writeStallTimeout to count as reading: with Linux's autotuned buffer (up to 4 MiB)
	// that would be ~1.3 MiB; with this one (doubled by the kernel) it is ~170 KiB, ~6 KiB/s.
	sendBuffer = 256 << 10
)
