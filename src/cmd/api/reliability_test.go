package main

import (
	"strings"
	"testing"
	"time"

	"github.com/acme/objects-api/src/internal/testutil"
)

// TestBinaryWiring: main hands its configuration and package http1's request guards and
// listener wrapper (src/http1/guard.go and listener.go) to the server it runs: with
// DELETE_ALL_ENABLED=false DELETE /objects is a 403; a request line longer than the read buffer
// is answered 414 JSON, not 431. (So main serves with httpapi.Serve, whose shutdown with a
// connection that never sent a request is TestServeShutsDownGracefully's.)
func TestBinaryWiring(t *testing.T) {
	ep := testutil.Endpoint(t)
	p := startAPI(t, "DDB_ENDPOINT_URL="+ep, "DDB_TABLE_NAME="+testutil.CreateTable(t, testutil.Client(t, ep), "uuid"), "DELETE_ALL_ENABLED=false")
	if status, body := p.call(t, "DELETE", "/objects"); status != 403 || !strings.Contains(body, "switched off") {
		t.Fatalf("DELETE /objects with DELETE_ALL_ENABLED=false: %d %s; want 403", status, body)
	}

	x := testutil.SendRaw(t, strings.TrimPrefix(p.base, "http://"), "GET", "GET /object/"+strings.Repeat("a", 20_000)+" HTTP/1.1\r\nHost: api\r\n\r\n", 30*time.Second)
	if x.First == nil || x.First.StatusCode != 414 || x.First.Header.Get("Content-Type") != "application/json" || !strings.Contains(string(x.Body), "request line") {
		t.Fatalf("a 20 kB URL: %+v %s; want 414 JSON (main must serve with httpapi.Serve, which wraps the listener, and NewServer call http1.Guard)", x.First, x.Body)
	}

	p.stop(t)
}
