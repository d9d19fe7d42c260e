package bench

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// series accumulates the runs of one phase against one target across the interleaved rounds:
// the counts go straight into its PhaseResult, the rest is summed here until finish.
type series struct {
	PhaseResult
	m    vegeta.Metrics // latencies; vegeta's own rate ignores the gaps between rounds
	wall time.Duration  // sum of the runs' durations
	ok   int
	cpu  time.Duration // the API's CPU over its runs, or (direct) this process's
	peak int64         // the API's VmHWM over its runs (reset before each)
}

// add records one request; err is the phase's verdict on it (wrong status, incomplete body).
func (s *series) add(r *vegeta.Result, err error) {
	s.m.Add(r)
	if err == nil && r.Error != "" {
		err = errors.New(r.Error)
	}
	if err == nil {
		s.ok++
		return
	}
	s.Errors++
	if len(s.ErrorSamples) < 5 { // the first few are enough to see what went wrong
		s.ErrorSamples = append(s.ErrorSamples, err.Error())
	}
}

// setComplete records one run's completeness: the phase is complete if every run was.
func (s *series) setComplete(ok bool) {
	if s.Complete == nil || !ok {
		s.Complete = &ok
	}
}

// maxHits is a vegeta pacer with no rate limit (the fixed workers set the pace) that stops
// after a fixed number of requests, so every run is bounded in count as well as in time.
type maxHits uint64

func (m maxHits) Pace(_ time.Duration, hits uint64) (time.Duration, bool) {
	return 0, hits >= uint64(m)
}

func (m maxHits) Rate(time.Duration) float64 { return 0 }

// bounds is how long one run sends requests, how many at most, and with how many workers.
type bounds struct {
	d          time.Duration
	n, workers int
}

// timed is a run of cfg.Duration and cfg.MaxRequests at most.
func (h *harness) timed(workers int) bounds {
	return bounds{h.cfg.Duration, h.cfg.MaxRequests, workers}
}

// requestTimeout bounds any one request, DELETE /objects of 10,000 items included.
const requestTimeout = 60 * time.Second

// once is a run of exactly one request.
var once = bounds{requestTimeout, 1, 1}

// measure runs fn as one run of s; cpu reads the measured process's CPU time.
func measure(s *series, cpu func() (time.Duration, error), fn func()) error {
	c0, err := cpu()
	if err != nil {
		return err
	}
	t0 := time.Now()
	fn()
	s.wall += time.Since(t0)
	s.Runs++
	c1, err := cpu()
	s.cpu += c1 - c0
	return err
}

// attack runs one fixed-worker vegeta attack on the API as a run of s, measuring the API
// process: its CPU, and its peak RSS over the run.
func (h *harness) attack(s *series, b bounds, tr vegeta.Targeter, check func(*vegeta.Result) error) error {
	a := vegeta.NewAttacker(
		vegeta.Workers(uint64(b.workers)), vegeta.MaxWorkers(uint64(b.workers)),
		vegeta.Connections(b.workers), vegeta.KeepAlive(true), vegeta.Timeout(requestTimeout),
	)
	if err := h.api.resetPeak(); err != nil {
		return err
	}
	err := measure(s, h.api.cpuTime, func() {
		for r := range a.Attack(tr, maxHits(b.n), b.d, s.Phase) {
			s.add(r, check(r))
		}
	})
	if err == nil {
		var hwm int64
		_, hwm, err = h.api.memory()
		s.peak = max(s.peak, hwm)
	}
	return err
}

// pool runs op with fixed workers as a run of s, straight against the backend, feeding the
// same metrics as attack and measuring this process's CPU (the SDK client's).
func (h *harness) pool(ctx context.Context, s *series, b bounds, op func(context.Context) error) error {
	return measure(s, selfCPU, func() {
		var mu sync.Mutex
		var calls atomic.Int64
		var wg sync.WaitGroup
		began := time.Now()
		for range b.workers {
			wg.Go(func() {
				for calls.Add(1) <= int64(b.n) && time.Since(began) < b.d && ctx.Err() == nil {
					t0 := time.Now()
					err := op(ctx)
					r := &vegeta.Result{Attack: s.Phase, Timestamp: t0, Latency: time.Since(t0)} // only latencies are read
					mu.Lock()
					s.add(r, err)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
	})
}

// selfCPU is this process's user+system CPU time (the SDK client, for direct runs).
func selfCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// rounds interleaves the API and direct runs of a phase, alternating which goes first so a
// drift in the machine's load does not favour one side.
func (h *harness) rounds(api, direct func() error) error {
	for r := 0; r < h.cfg.Rounds; r++ {
		first, second := api, direct
		if r%2 == 1 {
			first, second = direct, api
		}
		if err := first(); err != nil {
			return err
		}
		if err := second(); err != nil {
			return err
		}
	}
	return nil
}
