package reliability

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/acme/objects-api/src/internal/reliability/report"
)

// TestLeakCheckSeesARunningServer proves the leak check can fail: an API left running after
// the snapshot must be reported, and nothing once it is shut down.
func TestLeakCheckSeesARunningServer(t *testing.T) {
	leaks := leakCheckWithin(time.Second)
	a := startAPI(t, "http://127.0.0.1:9", "objects", time.Second) // port 9 (discard): nothing listens
	if r := a.do("GET", "/healthz"); r.status != 200 {
		t.Fatalf("healthz: %d %v", r.status, r.err)
	}
	err := leaks()
	if err == nil || !strings.Contains(err.Error(), "fasthttp") {
		t.Fatalf("the leak check did not report the running server's goroutines: %v", err)
	}
	a.stop(t)
	var after error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); {
		if after = leaks(); after == nil {
			break
		}
	}
	if after != nil {
		t.Fatalf("goroutines left after the API stopped: %v", after)
	}
}

// TestHeaderLineWithoutColon documents a fasthttp v1.51 parser limit: when the last header line
// has no colon, fasthttp waits for more bytes instead of answering 400, so the request is
// answered only when ReadTimeout (30s) expires. The test bounds that wait; it runs with
// RELIABILITY_LONG=1 (CI) because it takes 30s.
func TestHeaderLineWithoutColon(t *testing.T) {
	if !long {
		t.Skip("takes ReadTimeout (30s); runs with RELIABILITY_LONG=1, as in CI")
	}
	a := startAPI(t, "http://127.0.0.1:9", "objects", time.Second)
	conn, err := net.Dial("tcp", strings.TrimPrefix(a.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(45 * time.Second))
	start := time.Now()
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: api\r\nnocolon\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("no answer within 45s: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := reply{status: resp.StatusCode, body: string(body), header: resp.Header}
	msg, err := r.errorMessage()
	if err != nil || resp.StatusCode >= 500 && resp.StatusCode != 501 {
		t.Fatalf("after %s: %d %q %v; want a 4xx JSON error", took, resp.StatusCode, body, err)
	}
	if took > 40*time.Second {
		t.Fatalf("answered after %s; ReadTimeout is 30s", took)
	}
	report.Record(t, report.BadInput, "Last header line without a colon (real connection)",
		"GET /healthz with a final header line \"nocolon\", on a TCP connection kept open",
		fmt.Sprintf("%d %q after %s: fasthttp v1.51 waits for the line to continue, so the connection is held until ReadTimeout (30s), then answered", resp.StatusCode, msg, took.Round(time.Second)))
}
