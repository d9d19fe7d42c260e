// Package httpapi is the Objects API's HTTP layer: routes, handlers and the mapping of errors
// to JSON responses. The HTTP/1.1 transport beneath it (framing, limits, write deadlines) is
// package http1.
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/acme/objects-api/src/http1"
)

// Option changes how NewServer builds the API.
type Option func(*options)

type options struct {
	metrics           *Metrics
	deleteAll         deleteAllConfig
	stopping          context.Context
	listMaxConcurrent int
	readyCacheTTL     time.Duration
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
	o := options{deleteAll: deleteAllConfig{true, 5 * time.Minute}, stopping: context.Background(), listMaxConcurrent: 8,
		readyCacheTTL: time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	if o.metrics == nil {
		o.metrics = NewMetrics()
	}
	app := fiber.New(fiber.Config{
		AppName:               "objects-api",
		DisableStartupMessage: true,
		ErrorHandler:          errorHandler(logger, routeList()),
		// Exact paths only: "/objects/" and "/OBJECTS" are unknown routes, not aliases.
		StrictRouting: true,
		CaseSensitive: true,
	})
	// Requests refused before routing, by the transport or for their method (refused.go).
	refuse := refuser(app, logger, o.metrics)
	srv := app.Server()
	srv.Handler = refuseUnknownMethods(srv.Handler, app.Config().RequestMethods, implementedMethods(), refuse)
	http1.Guard(srv, refuse)
	app.Use(observe(logger, o.metrics), recover.New())
	routes(app, &handlerEnv{st: st, logger: logger, metrics: o.metrics, links: routeLinks(),
		deleteAll: o.deleteAll, stopping: o.stopping,
		scans: newScanSlots(o.listMaxConcurrent), readyCacheTTL: o.readyCacheTTL})
	return app
}

// Serve serves app on ln, wrapped with http1.WrapListener, until ctx is done; then it stops
// accepting and lets in-flight requests finish for at most shutdownTimeout. It returns nil
// after a clean shutdown.
func Serve(ctx context.Context, app *fiber.App, ln net.Listener, shutdownTimeout time.Duration) error {
	served := make(chan error, 1)
	go func() { served <- app.Listener(http1.WrapListener(ln)) }()
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
