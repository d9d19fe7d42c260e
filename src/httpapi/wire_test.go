package httpapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/acme/objects-api/src/internal/testutil"
)

// TestListFramingHeadAndHTTP10: GET and HEAD /objects, on a table of one Scan page and of many,
// by HTTP/1.1 and HTTP/1.0 clients, on raw connections. A HEAD sends the header and not one
// byte more (the pipelined GET /healthz behind it is answered right after it); an HTTP/1.0
// client never gets Transfer-Encoding (RFC 9112 §7.1): a multi-page list ends with the
// connection close instead.
func TestListFramingHeadAndHTTP10(t *testing.T) {
	const healthz = "GET /healthz HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n"
	for _, pageSize := range []int{0, 7} { // 0: one page for the whole table
		f := newFixture(t)
		f.store.PageSize = pageSize
		want := f.seed(t, 100)
		addr := f.listen(t)
		for _, tt := range []struct{ name, req string }{
			{"HEAD HTTP/1.1", "HEAD /objects HTTP/1.1\r\nHost: api\r\n\r\n" + healthz},
			{"HEAD HTTP/1.0", "HEAD /objects HTTP/1.0\r\n\r\n" + healthz},
			{"GET HTTP/1.0", "GET /objects HTTP/1.0\r\n\r\n" + healthz},
			{"GET HTTP/1.0 keep-alive", "GET /objects HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" + healthz},
		} {
			t.Run(fmt.Sprintf("%s, page size %d", tt.name, pageSize), func(t *testing.T) {
				method, _, _ := strings.Cut(tt.req, " ")
				x := testutil.SendRaw(t, addr, method, tt.req, 5*time.Second)
				if x.First == nil || x.First.StatusCode != 200 || !x.Closed {
					t.Fatalf("want a 200 and the connection closed; got %v, closed %v, %q", x.First, x.Closed, x.Rest)
				}
				if x.First.ProtoAtLeast(1, 1) && strings.HasSuffix(tt.name, "HTTP/1.1") {
					if !strings.HasPrefix(string(x.Rest), "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(string(x.Rest), `{"status":"ok"}`) {
						t.Fatalf("after the HEAD's header: %q; want the pipelined GET /healthz's answer and nothing else", x.Rest)
					}
					return
				}
				if len(x.First.TransferEncoding) > 0 {
					t.Fatalf("Transfer-Encoding %v to an HTTP/1.0 client", x.First.TransferEncoding)
				}
				if x.First.Header.Get("Content-Length") == "" && (!x.First.Close || len(x.Rest) > 0) {
					t.Fatalf("no Content-Length, Close %v, then %q: the body must end with the connection", x.First.Close, x.Rest)
				}
				if method == "HEAD" {
					if len(x.Body) > 0 {
						t.Fatalf("HEAD sent %d body bytes", len(x.Body))
					}
					return
				}
				var list struct{ Objects []struct{ UUID string } }
				if err := json.Unmarshal(x.Body, &list); err != nil || len(list.Objects) != len(want) {
					t.Fatalf("body of %d bytes: %v, %d objects; want %d", len(x.Body), err, len(list.Objects), len(want))
				}
			})
		}
	}
}
