// Package faultproxy is an HTTP proxy on 127.0.0.1 between the API and a DynamoDB-compatible
// server (dynalite, DynamoDB Local). Tests point the API's DDB_ENDPOINT_URL at it and inject the
// faults a real backend does not produce on demand: slow answers, connections dropped without an
// answer, a backend that goes away and comes back on the same port, and BatchWriteItem answers
// with UnprocessedItems (which dynalite and DynamoDB Local never return).
//
// The proxy speaks the DynamoDB JSON protocol's framing only: the operation is the X-Amz-Target
// header, bodies are forwarded as they are except when UnprocessedItems are injected.
package faultproxy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// maxBody bounds what the proxy buffers per request or response (DynamoDB pages are 1 MB).
const maxBody = 16 << 20

// Proxy forwards to one backend and injects the faults set on it. It is safe for concurrent use.
type Proxy struct {
	target   *url.URL
	addr     string
	upstream *http.Transport
	closing  chan struct{}
	running  sync.WaitGroup // serving goroutines and open connections (whose goroutines run handlers)

	mu     sync.Mutex
	srv    *http.Server // nil while Down
	closed bool
	faults faults
	calls  map[string]int
}

// faults is what the next requests get. The zero value injects nothing.
type faults struct {
	delay    time.Duration
	abortOps map[string]int        // operation -> calls let through before the rest are dropped
	hold     func(call, n int) int // BatchWriteItem: how many of n write requests to leave unprocessed
	holdBase int                   // BatchWriteItem calls made before hold was set
}

// Start listens on a free 127.0.0.1 port and forwards to target (a base URL such as
// http://127.0.0.1:8000). The proxy is closed when the test ends.
func Start(t testing.TB, target string) *Proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		t.Fatalf("faultproxy: target %q is not a base URL", target)
	}
	p := &Proxy{
		target:   u,
		upstream: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second},
		closing:  make(chan struct{}),
		calls:    make(map[string]int),
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("faultproxy: %v", err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.Close)
	return p
}

// URL is the proxy's base URL, for DDB_ENDPOINT_URL.
func (p *Proxy) URL() string { return "http://" + p.addr }

func (p *Proxy) serve(ln net.Listener) {
	srv := &http.Server{
		Handler:           http.HandlerFunc(p.handle),
		ReadHeaderTimeout: 10 * time.Second,
		// Counted from the accept loop (before Serve can return) to the end of the connection's
		// goroutine, so Close can wait for every handler.
		ConnState: func(_ net.Conn, s http.ConnState) {
			switch s {
			case http.StateNew:
				p.running.Add(1)
			case http.StateClosed, http.StateHijacked:
				p.running.Done()
			}
		},
	}
	p.srv = srv
	p.running.Add(1)
	go func() {
		defer p.running.Done()
		_ = srv.Serve(ln)
	}()
}

// SetDelay makes every request wait d before it is forwarded (0: no delay). A client that gives
// up while waiting closes its connection, and the request is then never forwarded.
func (p *Proxy) SetDelay(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults.delay = d
}

// AbortAfter lets the next n calls of operation op (e.g. "Scan") through and drops every later
// one: the connection is closed without an answer, as when the backend dies mid-request.
// n < 0 removes the fault.
func (p *Proxy) AbortAfter(op string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.faults.abortOps == nil {
		p.faults.abortOps = make(map[string]int)
	}
	if n < 0 {
		delete(p.faults.abortOps, op)
		return
	}
	p.faults.abortOps[op] = p.calls[op] + n
}

// HoldBack makes BatchWriteItem leave write requests unprocessed: for the call-th call (from 1)
// carrying n write requests, hold(call, n) of them are not forwarded and are returned in
// UnprocessedItems instead, as DynamoDB does when it throttles part of a batch. nil removes it.
func (p *Proxy) HoldBack(hold func(call, n int) int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults.hold = hold
	p.faults.holdBase = p.calls["BatchWriteItem"]
}

// Calls is how many requests for operation op the proxy has received.
func (p *Proxy) Calls(op string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[op]
}

// Down stops listening and resets every open connection: the backend looks dead (connection
// refused) until Up.
func (p *Proxy) Down() {
	p.mu.Lock()
	srv := p.srv
	p.srv = nil
	p.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// Up listens again on the same port after Down.
func (p *Proxy) Up() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errors.New("faultproxy: closed")
	}
	if p.srv != nil {
		return nil
	}
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		return fmt.Errorf("faultproxy: listen again on %s: %w", p.addr, err)
	}
	p.serve(ln)
	return nil
}

// Close stops the proxy, closes every connection and waits until no request is being handled.
// Closing twice does nothing.
func (p *Proxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	close(p.closing)
	p.mu.Unlock()
	p.Down()
	p.running.Wait()
	p.upstream.CloseIdleConnections()
}

// next counts a call of op and returns the faults it gets and its number for that operation.
func (p *Proxy) next(op string) (faults, int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls[op]++
	n := p.calls[op]
	last, limited := p.faults.abortOps[op]
	return p.faults, n, limited && n > last
}

func (p *Proxy) handle(w http.ResponseWriter, r *http.Request) {
	op := r.Header.Get("X-Amz-Target")
	if i := strings.LastIndexByte(op, '.'); i >= 0 {
		op = op[i+1:]
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	f, call, abort := p.next(op)
	if f.delay > 0 {
		timer := time.NewTimer(f.delay)
		select {
		case <-timer.C:
		case <-r.Context().Done(): // the client gave up: forward nothing
			timer.Stop()
			return
		case <-p.closing:
			timer.Stop()
			panic(http.ErrAbortHandler)
		}
	}
	if abort {
		// net/http closes the connection without writing a response.
		panic(http.ErrAbortHandler)
	}
	var held *heldBack
	if op == "BatchWriteItem" && f.hold != nil {
		if body, held, err = holdBack(body, call-f.holdBase, f.hold); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if held != nil && held.all {
			writeJSON(w, held.response())
			return
		}
	}
	status, header, respBody, err := p.forward(r, body)
	if err != nil { // the backend is unreachable: look like it
		panic(http.ErrAbortHandler)
	}
	if held != nil && status == http.StatusOK {
		if respBody, err = held.merge(respBody); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		header.Set("X-Amz-Crc32", crc(respBody))
	}
	for k, vs := range header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(respBody)))
	w.WriteHeader(status)
	_, _ = w.Write(respBody)
}

// forward sends the request with body to the backend and reads the whole answer.
func (p *Proxy) forward(r *http.Request, body []byte) (int, http.Header, []byte, error) {
	u := *p.target
	u.Path, u.RawQuery = r.URL.Path, r.URL.RawQuery
	req, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	for k, vs := range r.Header {
		if !hopByHop(k) {
			req.Header[k] = vs
		}
	}
	req.Header.Set("Accept-Encoding", "identity") // bodies stay plain JSON that holdBack can edit
	resp, err := p.upstream.RoundTrip(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, nil, err
	}
	header := resp.Header.Clone()
	for k := range header {
		if hopByHop(k) || k == "Content-Length" {
			header.Del(k)
		}
	}
	return resp.StatusCode, header, respBody, nil
}

func hopByHop(k string) bool {
	switch http.CanonicalHeaderKey(k) {
	case "Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade":
		return true
	}
	return false
}
