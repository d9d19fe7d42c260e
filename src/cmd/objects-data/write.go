package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/acme/objects-api/src/object"
)

// progressAfter is how long a run goes quietly before it reports progress on stderr, and then
// how often.
var progressAfter = time.Second

// tally is what a write run did: every object is in exactly one of created, replaced, failed
// and skipped.
type tally struct {
	created, replaced, failed, skipped int
	elapsed                            time.Duration
}

func (t tally) written() int { return t.created + t.replaced }

// writeAll puts objs with t.n PutItem calls in flight and stops at the first failure: no new
// write starts, and the writes in flight finish (each bounded by DDB_TIMEOUT) so that the tally
// says exactly which succeeded. describe names an object in an error (its id, and its line for
// import).
func (t *tool) writeAll(ctx context.Context, verb string, objs []object.Object, describe func(i int) string) (tally, error) {
	var (
		next, created, replaced, failed atomic.Int64
		halted                          atomic.Bool
		firstErr                        error
		once                            sync.Once
		wg                              sync.WaitGroup
	)
	start := time.Now()
	stop := t.progress(func(d time.Duration) string {
		k := created.Load() + replaced.Load()
		return fmt.Sprintf("%s: %d/%d written (%.0f/s)", verb, k, len(objs), float64(k)/d.Seconds())
	})
	for w := 0; w < min(t.n, len(objs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !halted.Load() && ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(objs) {
					return
				}
				isNew, err := t.st.Put(ctx, objs[i])
				switch {
				case err != nil:
					failed.Add(1)
					once.Do(func() { firstErr = fmt.Errorf("writing %s: %w", describe(i), err) })
					halted.Store(true)
				case isNew:
					created.Add(1)
				default:
					replaced.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	stop()
	n := tally{created: int(created.Load()), replaced: int(replaced.Load()), failed: int(failed.Load()), elapsed: time.Since(start)}
	n.skipped = len(objs) - n.written() - n.failed
	if firstErr == nil && n.skipped > 0 { // interrupted (SIGINT/SIGTERM) between two writes
		firstErr = ctx.Err()
	}
	return n, firstErr
}

// stopped says exactly how far a failed run got.
func stopped(verb string, total int, n tally, err error) error {
	return fmt.Errorf("%s: stopped after writing %d of %d objects (%d new, %d replaced); %d writes failed "+
		"(one that timed out or was interrupted may still have been stored) and %d were not attempted: %w",
		verb, n.written(), total, n.created, n.replaced, n.failed, n.skipped, err)
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
