package reliability

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/acme/objects-api/src/internal/dynalitetest"
	"github.com/acme/objects-api/src/internal/faultproxy"
	"github.com/acme/objects-api/src/internal/reliability/report"
)

// TestListFailsMidStream: GET /objects streams a table larger than one Scan page; the backend
// connection drops after the first page. The client must see a failed transfer, never a valid
// but truncated document; with the fault gone, the same request lists everything.
func TestListFailsMidStream(t *testing.T) {
	ep := dynalitetest.Endpoint(t)
	c := dynalitetest.Client(t, ep)
	table := dynalitetest.CreateTable(t, c, "uuid")
	const n = 130
	seed(t, c, table, n, 10_000) // about 1.3 MB: more than one 1 MB Scan page
	proxy := faultproxy.Start(t, ep)
	a := startAPI(t, proxy.URL(), table, 5*time.Second)
	proxy.AbortAfter("Scan", 1)

	resp, err := a.client.Get(a.base + "/objects")
	if err != nil {
		t.Fatalf("GET /objects: %v", err)
	}
	body, readErr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: the first page was fine, so the headers should say 200", resp.StatusCode)
	}
	if readErr == nil {
		t.Fatalf("the transfer completed (%d bytes) although the backend failed after the first page", len(body))
	}
	if json.Valid(body) {
		t.Fatal("the aborted body is valid JSON: a client could take it for the whole list")
	}
	if !strings.HasPrefix(string(body), `{"objects":[{"uuid":`) {
		t.Fatalf("the body does not start as a list (%.40q): the abort was not mid-stream", body)
	}
	scans := proxy.Calls("Scan")

	proxy.AbortAfter("Scan", -1)
	r := a.do("GET", "/objects")
	var list struct{ Objects []json.RawMessage }
	if err := json.Unmarshal([]byte(r.body), &list); r.status != 200 || err != nil || len(list.Objects) != n {
		t.Fatalf("GET /objects without the fault: %d, %v, %d objects; want 200 and %d", r.status, err, len(list.Objects), n)
	}
	report.Record(t, report.BackendFaults, "Backend fails in the middle of GET /objects",
		fmt.Sprintf("%d objects of 10 kB (more than one Scan page); a proxy drops every Scan connection after the first; GET /objects over HTTP/1.1", n),
		fmt.Sprintf("200 headers, then the transfer failed after %d bytes (%v); the partial body is not valid JSON; %d Scan calls (SDK retries included); without the fault: 200 with all %d objects",
			len(body), readErr, scans, n))
}
