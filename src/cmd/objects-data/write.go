package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/acme/objects-api/src/object"
)

// progressAfter is how long a run goes quietly before it reports progress on stderr, and then
// how often.
var progressAfter = time.Second

// writeJob is one object to write and its line in the data file (0 for seed).
type writeJob struct {
	o    object.Object
	line int
}

// maxNamed is how many failed writes an account names one by one.
const maxNamed = 5

// tally is what a write run did: every object is in exactly one of created, replaced, failed
// and skipped. The sent ones (created, replaced, failed) are the source's first `sent`, on
// lines first to last.
type tally struct {
	created, replaced, failed, skipped int
	sent, first, last                  int
	failures                           []writeJob // the first maxNamed failed writes
	elapsed                            time.Duration
}

func (t tally) written() int { return t.created + t.replaced }

// writeAll writes the total objects next yields, in order, with t.n PutItem calls in flight, and
// stops at the first failure, at an error from next, or when ctx ends (SIGINT, SIGTERM): no new
// write starts, and the writes in flight finish (each bounded by DDB_TIMEOUT, not cut short by
// ctx) so that the tally says exactly which were written.
func (t *tool) writeAll(ctx context.Context, verb string, total int, next func() (writeJob, bool, error)) (tally, error) {
	var (
		n                 tally
		created, replaced atomic.Int64
		mu                sync.Mutex // guards n.failed, n.failures and firstErr
		firstErr          error
		stopped           = make(chan struct{})
		once              sync.Once
		wg                sync.WaitGroup
	)
	halt := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		once.Do(func() { close(stopped) })
	}
	start := time.Now()
	stop := t.progress(func(d time.Duration) string {
		k := created.Load() + replaced.Load()
		return fmt.Sprintf("%s: %d/%d written (%.0f/s)", verb, k, total, float64(k)/d.Seconds())
	})
	jobs := make(chan writeJob)
	inFlight := context.WithoutCancel(ctx)
	for range min(t.n, total) {
		wg.Go(func() {
			for w := range jobs {
				isNew, err := t.st.Put(inFlight, w.o)
				switch {
				case err != nil:
					mu.Lock()
					if n.failed++; len(n.failures) < maxNamed {
						n.failures = append(n.failures, w)
					}
					mu.Unlock()
					halt(fmt.Errorf("writing %s: %w", w.name(), err))
				case isNew:
					created.Add(1)
				default:
					replaced.Add(1)
				}
			}
		})
	}
	t.feed(ctx, jobs, stopped, &n, next, halt)
	close(jobs)
	wg.Wait()
	stop()
	n.created, n.replaced, n.elapsed = int(created.Load()), int(replaced.Load()), time.Since(start)
	n.skipped = total - n.sent
	return n, firstErr
}

// feed hands next's objects to the writers until they run out, a write fails (stopped) or ctx
// ends, counting in n what it sent.
func (t *tool) feed(ctx context.Context, jobs chan<- writeJob, stopped <-chan struct{}, n *tally, next func() (writeJob, bool, error), halt func(error)) {
	for {
		w, ok, err := next()
		if ctx.Err() != nil {
			halt(context.Cause(ctx))
			return
		}
		if err != nil || !ok {
			if err != nil {
				halt(err)
			}
			return
		}
		select {
		case jobs <- w:
		case <-stopped:
			return
		case <-ctx.Done():
			halt(context.Cause(ctx))
			return
		}
		if n.sent++; n.sent == 1 {
			n.first = w.line
		}
		n.last = w.line
	}
}

// name is how an account names a write: its id, and its line in the file.
func (w writeJob) name() string {
	if w.line == 0 {
		return "object " + w.o.UUID
	}
	return fmt.Sprintf("%s (line %d)", w.o.UUID, w.line)
}

// stopped says exactly what a run that stopped early wrote: how many, which (the lines of the
// file when there is one), which writes failed, how many were never attempted, and why.
func stopped(verb string, total int, n tally, err error) error {
	var b strings.Builder
	if n.written() == 0 {
		fmt.Fprintf(&b, "%s: stopped; wrote nothing of %d objects", verb, total)
	} else {
		fmt.Fprintf(&b, "%s: stopped after writing %d of %d objects (%d new, %d replaced)", verb, n.written(), total, n.created, n.replaced)
		if n.first > 0 {
			fmt.Fprintf(&b, ": those on lines %d to %d", n.first, n.last)
		}
	}
	if n.failed > 0 {
		names := make([]string, len(n.failures))
		for i, w := range n.failures {
			names[i] = w.name()
		}
		if more := n.failed - len(n.failures); more > 0 {
			names = append(names, fmt.Sprintf("%d more", more))
		}
		fmt.Fprintf(&b, "; %d writes failed (one that timed out may still have been stored): %s", n.failed, strings.Join(names, ", "))
	}
	return fmt.Errorf("%s; %d were not attempted: %w", b.String(), n.skipped, err)
}

// progress prints line(time since start) to stderr every progressAfter once the run has lasted
// that long. The returned func stops it.
func (t *tool) progress(line func(time.Duration) string) (stop func()) {
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		tick := time.NewTicker(progressAfter)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				fmt.Fprintln(t.stderr, line(time.Since(start)))
			}
		}
	}()
	return func() { close(quit); <-finished }
}

func rate(n int, d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return fmt.Sprintf(", %.0f/s", float64(n)/d.Seconds())
}
