// Package httpapi is the Objects API's HTTP layer: routes, handlers and the mapping of errors
// to JSON responses.
package httpapi

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/acme/objects-api/src/store"
)

// Store is what the handlers need from the DynamoDB store (*store.Store implements it).
type Store interface {
	Put(ctx context.Context, id, ts string) (created bool, err error)
	Get(ctx context.Context, id string) (store.Object, error)
	Delete(ctx context.Context, id string) error
	DeleteAll(ctx context.Context) (deleted int, err error)
	Scan() *store.Pages
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

type options struct{ metrics *Metrics }

// WithMetrics records metrics in m (so that main can also hand m to store.Instrument);
// without it NewServer makes its own.
func WithMetrics(m *Metrics) Option { return func(o *options) { o.metrics = m } }

// NewServer builds the API without listening: tests call app.Test, main calls
// app.Listener(WrapListener(ln)).
func NewServer(st Store, logger *slog.Logger, opts ...Option) *fiber.App {
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	if o.metrics == nil {
		o.metrics = NewMetrics()
	}
	app := fiber.New(fiber.Config{
		AppName:               "objects-api",
		DisableStartupMessage: true,
		ErrorHandler:          errorHandler(logger),
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
	routes(app, st, logger, o.metrics)
	return app
}

// routes is the whole API.
func routes(app *fiber.App, st Store, logger *slog.Logger, m *Metrics) {
	app.Get("/", index)
	app.Put("/object/:id", putObject(st))
	app.Get("/object/:id", getObject(st))
	app.Delete("/object/:id", deleteObject(st))
	app.Get("/objects", listObjects(st, logger))
	app.Delete("/objects", deleteObjects(st))
	app.Get("/healthz", healthz)
	app.Get("/readyz", readyz(st, logger, m))
	metricsRoute(app, m)
	docsRoutes(app)
}
