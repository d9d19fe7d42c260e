package main

import (
	"bufio"
	"fmt"
	"net"
	"time"

	"github.com/google/go-dap"
)

// session is a Debug Adapter Protocol client on one connection to delve: the protocol VS
// Code's Go extension speaks to a `dlv --headless` server.
type session struct {
	conn net.Conn
	seq  int
	in   chan dap.Message
	errc chan error
	// Messages read while waiting for another one (e.g. an event that arrives before the
	// response to the request that caused it), in order.
	pending []dap.Message
	log     func(format string, args ...any)
}

// dial connects to addr, retrying until timeout (the server starts after air's build).
func dial(addr string, timeout time.Duration, log func(string, ...any)) (*session, error) {
	deadline := time.Now().Add(timeout)
	for {
		conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err == nil {
			s := &session{conn: conn, in: make(chan dap.Message, 64), errc: make(chan error, 1), log: log}
			go s.read()
			return s, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("no debugger at %s after %s: %w", addr, timeout, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func (s *session) read() {
	r := bufio.NewReader(s.conn)
	for {
		m, err := dap.ReadProtocolMessage(r)
		if err != nil {
			s.errc <- err
			close(s.in)
			return
		}
		s.in <- m
	}
}

// send fills in the request's sequence number and command and writes it.
func (s *session) send(command string, req dap.RequestMessage) (int, error) {
	s.seq++
	r := req.GetRequest()
	r.Seq, r.Type, r.Command = s.seq, "request", command
	s.log("-> %s", command)
	return s.seq, dap.WriteProtocolMessage(s.conn, req)
}

// call sends a request and waits for its response; a failed response is an error.
func (s *session) call(command string, req dap.RequestMessage, timeout time.Duration) (dap.ResponseMessage, error) {
	seq, err := s.send(command, req)
	if err != nil {
		return nil, err
	}
	m, err := s.await(timeout, func(m dap.Message) bool {
		r, ok := m.(dap.ResponseMessage)
		return ok && r.GetResponse().RequestSeq == seq
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", command, err)
	}
	r := m.(dap.ResponseMessage)
	if !r.GetResponse().Success {
		return r, fmt.Errorf("%s failed: %s (%+v)", command, r.GetResponse().Message, m)
	}
	return r, nil
}

// await returns the first message, pending or new, that satisfies want; the others are kept
// for later calls and logged (events, output).
func (s *session) await(timeout time.Duration, want func(dap.Message) bool) (dap.Message, error) {
	for i, m := range s.pending {
		if want(m) {
			s.pending = append(s.pending[:i], s.pending[i+1:]...)
			return m, nil
		}
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case m, ok := <-s.in:
			if !ok {
				return nil, fmt.Errorf("connection closed: %w", <-s.errc)
			}
			if want(m) {
				return m, nil
			}
			s.pending = append(s.pending, m)
			if e, ok := m.(*dap.OutputEvent); ok {
				s.log("<- output: %q", e.Body.Output)
			} else if e, ok := m.(dap.EventMessage); ok {
				s.log("<- event %s", e.GetEvent().Event)
			}
		case <-t.C:
			return nil, fmt.Errorf("nothing after %s", timeout)
		}
	}
}

// event waits for the event called name.
func (s *session) event(name string, timeout time.Duration) (dap.Message, error) {
	m, err := s.await(timeout, func(m dap.Message) bool {
		e, ok := m.(dap.EventMessage)
		return ok && e.GetEvent().Event == name
	})
	if err != nil {
		return nil, fmt.Errorf("waiting for the %s event: %w", name, err)
	}
	return m, nil
}
