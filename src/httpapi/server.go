// Package httpapi is the Objects API's HTTP layer: routes, handlers and the mapping of errors
// to JSON responses.
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/acme/objects-api/src/object"
	"github.com/acme/objects-api/src/store"
)

// Store is what the handlers need from the DynamoDB store (*store.Store implements it; the
// handler tests use an in-memory fake). Failures are *store.Error or store.ErrNotFound.
type Store interface {
	Put(ctx context.Context, o object.Object) (created bool, err error)
	Get(ctx context.Context, id string) (object.Object, error)
	Delete(ctx context.Context, id string) error
	DeleteAll(ctx context.Context) (deleted int, err error)
	// Scan walks the table page by page; store.Pages is an interface.
	Scan() store.Pages
	Ready(ctx context.Context) error
	Table() string
}

// Limits on what a request may carry; over them the API answers 413 or 431 (as JSON).
const (
	maxBodyBytes   = 64 << 10 // no route reads a body; this only bounds what a client can make us buffer
	maxHeaderBytes = 8 << 10  // the request line and headers
)

// Option changes how NewServer builds the API.
type Option func(*options)

type options struct {
	metrics   *Metrics
	deleteAll deleteAllConfig
	stopping  context.Context
}

// WithMetrics records metrics in m (so that main can also hand m to store.Instrument);
// without it NewServer makes its own.
func WithMetrics(m *Metrics) Option { return func(o *options) { o.metrics = m } }

// WithDeleteAll switches DELETE /objects on or off (off: 403) and bounds how long one call
// may take (DELETE_ALL_ENABLED, DELETE_ALL_TIMEOUT). The default is on, for 5 minutes.
func WithDeleteAll(enabled bool, timeout time.Duration) Option {
	return func(o *options) { o.deleteAll = deleteAllConfig{enabled, timeout} }
}

// WithStopping stops long requests (DELETE /objects) when ctx is done, so that a graceful
// shutdown does not wait for them: main passes the context SIGTERM cancels.
func WithStopping(ctx context.Context) Option { return func(o *options) { o.stopping = ctx } }

// NewServer builds the API without listening: tests call app.Test, main calls Serve.
func NewServer(st Store, logger *slog.Logger, opts ...Option) *fiber.App {
	o := options{deleteAll: deleteAllConfig{true, 5 * time.Minute}, stopping: context.Background()}
	for _, opt := range opts {
		opt(&o)
	}
	if o.metrics == nil {
		o.metrics = NewMetrics()
	}
	d := &deps{st: st, logger: logger, metrics: o.metrics, deleteAll: o.deleteAll, stopping: o.stopping}
	app := fiber.New(fiber.Config{
		AppName:               "objects-api",
		DisableStartupMessage: true,
		ErrorHandler:          errorHandler(logger, d),
		// Exact paths only: "/objects/" and "/OBJECTS" are unknown routes, not aliases.
		StrictRouting:  true,
		CaseSensitive:  true,
		BodyLimit:      maxBodyBytes,
		ReadBufferSize: maxHeaderBytes,
		ReadTimeout:    30 * time.Second,
		IdleTimeout:    75 * time.Second,
	})
	guardRequests(app) // JSON 414/431/501 for what fasthttp answers before routing (limits.go)
	app.Use(observe(logger, o.metrics), recover.New())
	routes(app, d)
	return app
}

// Serve serves app on ln, wrapped with WrapListener, until ctx is done; then it stops
// accepting and lets in-flight requests finish for at most shutdownTimeout. It returns nil
// after a clean shutdown.
func Serve(ctx context.Context, app *fiber.App, ln net.Listener, shutdownTimeout time.Duration) error {
	served := make(chan error, 1)
	go func() { served <- app.Listener(WrapListener(ln)) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	if err := app.ShutdownWithTimeout(shutdownTimeout); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return <-served
}
