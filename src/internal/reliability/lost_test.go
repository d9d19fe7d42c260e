package reliability

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/dynalitetest"
	"github.com/acme/objects-api/src/internal/reliability/report"
)

// listed GETs /objects and returns the ids, failing on anything but a complete, valid list
// without duplicates.
func listed(t *testing.T, a *api) map[string]bool {
	t.Helper()
	r := a.do("GET", "/objects")
	var body struct{ Objects []struct{ UUID string } }
	if err := json.Unmarshal([]byte(r.body), &body); r.status != 200 || err != nil {
		t.Fatalf("GET /objects: %d %v %v", r.status, err, r.err)
	}
	ids := make(map[string]bool, len(body.Objects))
	for _, o := range body.Objects {
		if ids[o.UUID] {
			t.Fatalf("%s listed twice", o.UUID)
		}
		ids[o.UUID] = true
	}
	return ids
}

// TestConcurrentPutsNoneLost: N concurrent PUTs of distinct ids, all in flight together, must
// all be acknowledged 201 and then listed, exactly those N.
func TestConcurrentPutsNoneLost(t *testing.T) {
	ep := dynalitetest.Endpoint(t)
	c := dynalitetest.Client(t, ep)
	table := dynalitetest.CreateTable(t, c, "uuid")
	a := startAPI(t, ep, table, 10*time.Second)
	n := pick(500, 2000)
	ids := make([]string, n)
	replies := make([]reply, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range ids {
		ids[i] = uuid.NewString()
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i] = a.do("PUT", "/object/"+ids[i])
		}()
	}
	wg.Wait()
	took := time.Since(start)
	for i, r := range replies {
		if r.status != 201 {
			t.Fatalf("PUT %s: %d %s %v; want 201", ids[i], r.status, r.body, r.err)
		}
	}
	got := listed(t, a)
	if len(got) != n {
		t.Fatalf("listed %d objects after %d acknowledged PUTs", len(got), n)
	}
	for _, id := range ids {
		if !got[id] {
			t.Fatalf("%s acknowledged 201 but not listed", id)
		}
	}
	if direct := count(t, c, table); direct != n {
		t.Fatalf("the table holds %d items; %d PUTs were acknowledged", direct, n)
	}
	report.Record(t, report.NothingLost, "Concurrent PUTs of distinct ids",
		fmt.Sprintf("%d PUTs of new ids, all started at once over loopback HTTP; GET /objects; count the table directly", n),
		fmt.Sprintf("%d×201 in %s; GET /objects lists exactly those %d ids; the table holds %d items", n, took.Round(time.Millisecond), n, n))
}

// TestMixedLoadNoAcknowledgedWriteLost: workers PUT, GET and DELETE their own ids in random
// order (seeded, so a failure can be replayed) while all of them also PUT a few shared ids.
// Each id has one writer, so each answer is checked against a model of that id: PUT 201 only
// when absent (200 when present), GET 200 exactly when present, DELETE 204 when present and
// 404 when absent. At the end the list must be exactly the ids whose last acknowledged write
// was a PUT, plus the shared ones.
func TestMixedLoadNoAcknowledgedWriteLost(t *testing.T) {
	ep := dynalitetest.Endpoint(t)
	table := dynalitetest.CreateTable(t, dynalitetest.Client(t, ep), "uuid")
	a := startAPI(t, ep, table, 10*time.Second)
	workers, ops, own := pick(16, 32), pick(150, 600), 20
	shared := make([]string, 8)
	for i := range shared {
		shared[i] = uuid.NewString()
	}
	type result struct {
		present          map[string]bool
		puts, gets, dels int
		errs             []string
	}
	results := make([]result, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := &results[w]
			res.present = map[string]bool{}
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			mine := make([]string, own)
			for i := range mine {
				mine[i] = uuid.NewString()
			}
			check := func(what string, r reply, want int) {
				if r.status != want && len(res.errs) < 5 {
					res.errs = append(res.errs, fmt.Sprintf("%s: %d %s %v; the model wants %d", what, r.status, r.body, r.err, want))
				}
			}
			for i := 0; i < ops; i++ {
				if rng.IntN(10) == 0 {
					id := shared[rng.IntN(len(shared))]
					if r := a.do("PUT", "/object/"+id); r.status != 200 && r.status != 201 {
						check("PUT shared "+id, r, 201)
					}
					continue
				}
				id := mine[rng.IntN(own)]
				switch rng.IntN(3) {
				case 0:
					want := 201
					if res.present[id] {
						want = 200
					}
					check("PUT "+id, a.do("PUT", "/object/"+id), want)
					res.present[id] = true
					res.puts++
				case 1:
					want := 404
					if res.present[id] {
						want = 200
					}
					check("GET "+id, a.do("GET", "/object/"+id), want)
					res.gets++
				case 2:
					want := 404
					if res.present[id] {
						want = 204
					}
					check("DELETE "+id, a.do("DELETE", "/object/"+id), want)
					delete(res.present, id)
					res.dels++
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	want := map[string]bool{}
	for _, id := range shared {
		want[id] = true
	}
	var puts, gets, dels int
	for w, res := range results {
		if len(res.errs) > 0 {
			t.Fatalf("worker %d (seed %d): answers that contradict the model: %v", w, w, res.errs)
		}
		for id := range res.present {
			want[id] = true
		}
		puts, gets, dels = puts+res.puts, gets+res.gets, dels+res.dels
	}
	got := listed(t, a)
	for id := range want {
		if !got[id] {
			t.Fatalf("%s: its last acknowledged write was a PUT, but it is not listed", id)
		}
		if r := a.do("GET", "/object/"+id); r.status != 200 {
			t.Fatalf("GET %s after the load: %d %s; want 200", id, r.status, r.body)
		}
	}
	for id := range got {
		if !want[id] {
			t.Fatalf("%s is listed, but its last acknowledged write was a DELETE", id)
		}
	}
	report.Record(t, report.NothingLost, "Mixed PUT/GET/DELETE load",
		fmt.Sprintf("%d workers × %d random operations on %d ids each, plus PUTs of %d shared ids; every answer checked against a per-id model; then GET /objects and GET each survivor",
			workers, ops, own, len(shared)),
		fmt.Sprintf("%d PUTs, %d GETs, %d DELETEs in %s, all as the model predicts (201/200, 200/404, 204/404); the list is exactly the %d ids whose last acknowledged write was a PUT",
			puts, gets, dels, took.Round(time.Millisecond), len(want)))
}
