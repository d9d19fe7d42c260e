package reliability

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// load is a bounded PUT-then-GET load on the API from several workers, tallying what came back.
type load struct {
	a       *api
	stop    chan struct{}
	done    sync.WaitGroup
	acked   atomic.Int64 // 2xx answers
	gen     atomic.Int64 // backend generation: a restarted dynalite starts empty
	mu      sync.Mutex
	phase   string
	tally   map[string]map[string]int // phase -> "status: message" -> count
	bad     []string                  // answers that break the rules, for the failure message
	slowest map[string]time.Duration
}

// startLoad runs workers until stopLoad or until each has made maxOps requests.
func startLoad(a *api, workers, maxOps int) *load {
	l := &load{a: a, stop: make(chan struct{}), phase: "up", tally: map[string]map[string]int{}, slowest: map[string]time.Duration{}}
	for w := 0; w < workers; w++ {
		l.done.Add(1)
		go func() {
			defer l.done.Done()
			for i := 0; i < maxOps; i += 2 {
				select {
				case <-l.stop:
					return
				default:
				}
				id := uuid.NewString()
				gen := l.gen.Load()
				put := a.do("PUT", "/object/"+id)
				l.note(put, "")
				get := a.do("GET", "/object/"+id)
				lost := ""
				if put.status == 201 && get.status == 404 && l.gen.Load() == gen {
					lost = "GET 404 after PUT 201 on the same backend: " + id
				}
				l.note(get, lost)
			}
		}()
	}
	return l
}

// setPhase labels the answers that follow.
func (l *load) setPhase(p string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.phase = p
}

// restarted tells the load that the backend lost its data: a GET 404 for an id acknowledged
// before is no longer a lost write.
func (l *load) restarted() { l.gen.Add(1) }

// note classifies an answer. Allowed: 2xx; a GET 404 unless lost says the write was
// acknowledged on the same backend; 503/504 JSON with a reason. Anything else (500, a
// non-JSON body, no answer at all) is a violation.
func (l *load) note(r reply, lost string) {
	key := fmt.Sprint(r.status)
	ok := r.err == nil && r.status >= 200 && r.status < 300
	if lost != "" {
		key, ok = "violation: "+lost, false
	} else if ok {
		l.acked.Add(1)
	} else if msg, err := r.errorMessage(); err != nil {
		key = "violation: " + err.Error()
	} else {
		key = fmt.Sprintf("%d %s", r.status, reason(msg))
		ok = r.status == 503 || r.status == 504 || r.status == 404
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tally[l.phase] == nil {
		l.tally[l.phase] = map[string]int{}
	}
	l.tally[l.phase][key]++
	l.slowest[l.phase] = max(l.slowest[l.phase], r.took)
	if !ok && len(l.bad) < 10 {
		l.bad = append(l.bad, key)
	}
}

// reason is the kind of failure without the ids and addresses in it.
func reason(msg string) string {
	for _, k := range []string{"unreachable", "did not answer within", "does not exist", "not found", "busy", "failed"} {
		if strings.Contains(msg, k) {
			return k
		}
	}
	return msg
}

// waitAcked waits until n more requests have succeeded, for at most d.
func (l *load) waitAcked(n int64, d time.Duration) bool {
	target := l.acked.Load() + n
	deadline := time.Now().Add(d)
	for l.acked.Load() < target {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

func (l *load) stopLoad() {
	close(l.stop)
	l.done.Wait()
}

// summary is phase: count×answer, ...
func (l *load) summary(phase string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var parts []string
	for k, n := range l.tally[phase] {
		parts = append(parts, fmt.Sprintf("%d× %s", n, k))
	}
	sort.Strings(parts)
	return fmt.Sprintf("%s (slowest %s)", strings.Join(parts, ", "), l.slowest[phase].Round(time.Millisecond))
}

func (l *load) violations() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.bad...)
}
