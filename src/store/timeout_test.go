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
	s := store.New(c, store.Config{Table: "objects", HashKey: "uuid", Timeout: timeout})
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
	n := 0
	for name, call := range calls {
		times := 8
		if name == "DeleteAll" {
			times = 1 // DeleteAll calls take turns by design: they would queue
		}
		for range times {
			n++
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
		t.Fatalf("%d concurrent calls took %s; want each answered after about DDB_TIMEOUT (%s)", n, d, timeout)
	}
}

// TestDeleteAllWaitingItsTurnStopsWithItsContext: a DeleteAll that waits for another one to
// finish still ends when its own context does.
func TestDeleteAllWaitingItsTurnStopsWithItsContext(t *testing.T) {
	ep := blackHole(t)
	s := store.New(testutil.Client(t, ep), store.Config{Table: "objects", HashKey: "uuid", Timeout: 2 * time.Second})
	go func() { _, _ = s.DeleteAll(context.Background()) }() // holds the turn until its Scan times out
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	deleted, err := s.DeleteAll(ctx)
	var se *store.Error
	if !errors.As(err, &se) || se.Kind != store.Timeout || deleted != 0 {
		t.Fatalf("DeleteAll while another runs = %d, %v; want 0 and a Timeout", deleted, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("the waiting DeleteAll returned after %s; want about its 100ms deadline", d)
	}
}
