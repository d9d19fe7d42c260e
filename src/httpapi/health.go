package httpapi

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/sync/singleflight"

	"github.com/acme/objects-api/src/store"
)

// healthz: the process is alive and serving; it does no I/O.
func healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.SendString(`{"status":"ok"}`)
}

// readyz: 200 when the table answers DescribeTable as ACTIVE, else 503 with the reason.
// Healthchecks poll it every second, so it logs changes of state rather than every failure.
func readyz(env *handlerEnv) fiber.Handler {
	logger, m := env.logger, env.metrics
	r := &readiness{st: env.st, ttl: env.readyCacheTTL}
	var ready atomic.Int32 // 0 unknown, 1 ready, 2 not ready
	return func(c *fiber.Ctx) error {
		err := r.check(c.UserContext())
		var se *store.Error
		if err != nil && !errors.As(err, &se) {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		if err != nil { // not ready is 503 whatever the cause, a timeout included
			m.ready.Set(0)
			if ready.Swap(2) != 2 {
				logger.Warn("not ready", "request_id", c.GetRespHeader(HeaderRequestID), "error", se.Error())
			}
			writeError(c, fiber.StatusServiceUnavailable, "not ready: "+se.Msg)
			return nil
		}
		m.ready.Set(1)
		if ready.Swap(1) != 1 {
			logger.Info("ready", "table", env.st.Table())
		}
		return c.SendString(`{"status":"ready"}`)
	}
}

// readiness is the store's Ready answer, asked at most once per ttl (READY_CACHE_TTL). Anyone
// allowed to reach the API can call /readyz, and every load balancer and container healthcheck
// does, each second: without the cache they would set the rate of DescribeTable, a control-plane
// call with a low quota whose throttling would then mark every task not ready at once. Probes
// that arrive while a call is in flight share it (singleflight), whatever the ttl.
type readiness struct {
	st  Store
	ttl time.Duration

	calls singleflight.Group
	mu    sync.Mutex
	err   error     // the last answer
	until time.Time // when it goes stale
}

func (r *readiness) check(ctx context.Context) error {
	if fresh, err := r.cached(); fresh {
		return err
	}
	_, err, _ := r.calls.Do("", func() (any, error) {
		if fresh, err := r.cached(); fresh { // a call that just finished answers this one too
			return nil, err
		}
		// Shared by every probe waiting on it: one of them going away must not cancel it.
		err := r.st.Ready(context.WithoutCancel(ctx))
		r.mu.Lock()
		r.err, r.until = err, time.Now().Add(r.ttl)
		r.mu.Unlock()
		return nil, err
	})
	return err
}

// cached is the last answer, and whether it is still fresh.
func (r *readiness) cached() (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return time.Now().Before(r.until), r.err
}

// WithReadyCacheTTL makes /readyz reuse the store's Ready answer for ttl (READY_CACHE_TTL); 0
// asks on every probe, though concurrent probes still share one call. Without it, 1 s.
func WithReadyCacheTTL(ttl time.Duration) Option { return func(o *options) { o.readyCacheTTL = ttl } }
