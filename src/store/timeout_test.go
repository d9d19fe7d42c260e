package store_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/goleak"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/store"
)

// blackHole accepts connections and never answers: a DynamoDB that hangs.
func blackHole(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// TestHangingBackendTimesOut: every operation against a DynamoDB that never answers fails as a
// Timeout after about DDB_TIMEOUT, concurrent calls do not queue behind each other, and the
// calls leave no goroutine behind.
func TestHangingBackendTimesOut(t *testing.T) {
	ep := blackHole(t)
	c := testutil.Client(t, ep)
	const timeout = 300 * time.Millisecond
	s := store.New(c, store.Config{Table: "objects", HashKey: "uuid", Endpoint: ep, Timeout: timeout})
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(),
		// the SDK's pooled connections to the black hole, closed with its listener
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"))
	calls := map[string]func() error{
		"Put": func() error { return put(s) }, "Get": func() error { return get(s) },
		"Delete": func() error { return s.Delete(context.Background(), uuid.NewString()) },
		"Scan":   func() error { return list(s) }, "Ready": func() error { return ready(s) },
		"DeleteAll": func() error { _, err := s.DeleteAll(context.Background()); return err },
	}
	var wg sync.WaitGroup
	start := time.Now()
	for name, call := range calls {
		for range 8 { // 48 calls at once
			wg.Add(1)
			go func() {
				defer wg.Done()
				var se *store.Error
				if err := call(); !errors.As(err, &se) || se.Kind != store.Timeout || !strings.Contains(se.Msg, "did not answer within") {
					t.Errorf("%s: %v; want a Timeout", name, err)
				}
			}()
		}
	}
	wg.Wait()
	if d := time.Since(start); d < timeout || d > timeout+2*time.Second {
		t.Fatalf("48 concurrent calls took %s; want each answered after about DDB_TIMEOUT (%s)", d, timeout)
	}
}
