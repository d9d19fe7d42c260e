package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/contract"
	"github.com/acme/objects-api/src/internal/testutil"
)

// client is a plain HTTP client for load: a hang fails the test instead of holding it.
var client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

type answer struct {
	status int
	body   string
	err    error
}

func (p *proc) send(method, path string) answer {
	req, _ := http.NewRequest(method, p.base+path, nil)
	resp, err := client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b), err}
}

// TestBinaryNoAcknowledgedWriteLost: workers PUT, GET and DELETE their own ids in a seeded
// random order, all at once, each answer checked against a model of its id (PUT 201 when
// absent, 200 when present; GET 200 exactly when present; DELETE 204 when present, 404 when
// absent). Afterwards GET /objects lists exactly the ids whose last acknowledged write was a PUT.
func TestBinaryNoAcknowledgedWriteLost(t *testing.T) {
	p := startAPIOnTable(t)
	workers, ops := 8, 40
	if !testing.Short() {
		workers, ops = 32, 400
	}
	present := make([]map[string]bool, workers)
	errs := make(chan string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			mine := make([]string, 10)
			for i := range mine {
				mine[i] = uuid.NewString()
			}
			have := map[string]bool{}
			for range ops {
				id := mine[rng.IntN(len(mine))]
				var method string
				var want int
				switch rng.IntN(3) {
				case 0:
					method, want = "PUT", map[bool]int{false: 201, true: 200}[have[id]]
					have[id] = true
				case 1:
					method, want = "GET", map[bool]int{false: 404, true: 200}[have[id]]
				case 2:
					method, want = "DELETE", map[bool]int{false: 404, true: 204}[have[id]]
					delete(have, id)
				}
				if a := p.send(method, "/object/"+id); a.status != want {
					errs <- fmt.Sprintf("worker %d (seed %d): %s %s: %d %s %v; the model wants %d", w, w, method, id, a.status, a.body, a.err, want)
					return
				}
			}
			present[w] = have
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	got := contract.ListIDs(t, p.base)
	want := 0
	for _, have := range present {
		for id := range have {
			want++
			if !got[id] {
				t.Fatalf("%s: its last acknowledged write was a PUT, but it is not listed", id)
			}
		}
	}
	if len(got) != want {
		t.Fatalf("listed %d objects, the model holds %d: a DELETEd object is listed", len(got), want)
	}
	p.stop(t)
}

var goroutinesRE = regexp.MustCompile(`(?m)^go_goroutines (\d+)$`)

// goroutines reads the binary's goroutine count from its /metrics.
func (p *proc) goroutines(t *testing.T) int {
	t.Helper()
	m := goroutinesRE.FindStringSubmatch(p.send("GET", "/metrics").body)
	if m == nil {
		t.Fatal("no go_goroutines in /metrics")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestBinaryBackendKilledUnderLoad kills dynalite while workers PUT and GET, keeps the load on
// while it is down, restarts it (empty, like DynamoDB Local -inMemory) and recreates the
// table. Every answer is a success or a 5xx JSON error; none is missing or 500; the API
// recovers without a restart, and its goroutines return to where they were.
func TestBinaryBackendKilledUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("long: make check runs it")
	}
	backend := testutil.OwnDynalite(t)
	testutil.CreateNamedTable(t, testutil.Client(t, backend.Endpoint()), "objects", "uuid")
	p := startAPI(t, "DDB_ENDPOINT_URL="+backend.Endpoint(), "DDB_TABLE_NAME=objects", "DDB_TIMEOUT=2s")
	before := p.goroutines(t)

	var mu sync.Mutex
	tally := map[string]int{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				id := uuid.NewString()
				for _, method := range []string{"PUT", "GET"} {
					a := p.send(method, "/object/"+id)
					key := fmt.Sprint(a.status)
					var e map[string]string
					switch {
					case a.err != nil:
						key = "no answer: " + a.err.Error()
					case a.status >= 500 && (a.status == 500 || json.Unmarshal([]byte(a.body), &e) != nil || e["error"] == ""):
						key = "bad 5xx: " + a.body
					case a.status >= 500 && strings.Contains(e["error"], "unreachable"):
						key = "503 unreachable"
					}
					mu.Lock()
					tally[key]++
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(time.Second)
	backend.Stop()
	time.Sleep(2 * time.Second)
	if err := backend.Start(); err != nil {
		t.Fatal(err)
	}
	testutil.CreateNamedTable(t, testutil.Client(t, backend.Endpoint()), "objects", "uuid")
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()
	t.Logf("answers: %v", tally)
	for key, n := range tally {
		if strings.HasPrefix(key, "no answer") || strings.HasPrefix(key, "bad 5xx") {
			t.Errorf("%d× %s", n, key)
		}
	}
	if tally["503 unreachable"] == 0 {
		t.Error("no 503 \"unreachable\" while the backend was down")
	}
	if a := p.send("PUT", "/object/"+uuid.NewString()); a.status != 201 {
		t.Fatalf("PUT after the restart: %d %s; want 201 without restarting the API", a.status, a.body)
	}
	client.CloseIdleConnections()
	var after int
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if after = p.goroutines(t); after <= before+10 {
			break
		}
	}
	if after > before+10 {
		t.Errorf("%d goroutines after the load, %d before: the fault left work behind", after, before)
	}
	p.stop(t)
}
