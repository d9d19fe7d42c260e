package http1

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// stubServer is a fasthttp server guarded as the API's is, with a stub for the app: its
// handler answers 200 "ok" and counts the requests it is given; GET /big streams bigBodyBytes.
// Refusals are answered as the API answers them, JSON {"error": msg}, and recorded: a JSON
// error on the wire shows that a refusal went through Guard's refuse, not fasthttp's own
// plain-text errors.
type stubServer struct {
	srv     *fasthttp.Server
	handled atomic.Int64
	mu      sync.Mutex
	refused []Refusal // copies
}

func newStub() *stubServer {
	s := &stubServer{}
	s.srv = &fasthttp.Server{Handler: s.handle, Logger: log.New(io.Discard, "", 0)}
	Guard(s.srv, s.refuse)
	return s
}

func (s *stubServer) handle(ctx *fasthttp.RequestCtx) {
	s.handled.Add(1)
	if string(ctx.Path()) == "/big" {
		ctx.SetBodyStream(&bigBody{left: bigBodyBytes}, -1) // chunked, as GET /objects streams
		return
	}
	ctx.SetBodyString("ok")
}

func (s *stubServer) refuse(ctx *fasthttp.RequestCtx, r Refusal) {
	s.mu.Lock()
	s.refused = append(s.refused, Refusal{Status: r.Status, Msg: r.Msg,
		Method: clone(r.Method), Target: clone(r.Target), RequestLine: clone(r.RequestLine)})
	s.mu.Unlock()
	body, _ := json.Marshal(map[string]string{"error": r.Msg})
	ctx.SetStatusCode(r.Status)
	ctx.SetContentType("application/json")
	ctx.SetBody(body)
}

// clone copies b, keeping nil nil (a request line that was not parsed).
func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

// refusals is what s has refused so far.
func (s *stubServer) refusals() []Refusal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Refusal(nil), s.refused...)
}

// listen serves s on a loopback port through WrapListener's connections, with a write stall
// timeout of stall, and returns the address; the server is shut down when the test ends.
func (s *stubServer) listen(t *testing.T, stall time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.srv.Serve(wrapListener(ln, stall)) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.srv.ShutdownWithContext(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// bigBodyBytes is GET /big's size: more than the loopback socket buffers hold, so a client
// that does not read stalls the server's writes.
const bigBodyBytes = 7 << 20

// bigBody reads as left bytes of 'x', 32 KiB at most per Read.
type bigBody struct{ left int }

func (b *bigBody) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), b.left, 32<<10)
	for i := range p[:n] {
		p[i] = 'x'
	}
	b.left -= n
	return n, nil
}
