package httpapi

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

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

// handlerEnv is the environment every handler is built in: the store and logger it was given,
// and what NewServer made for all handlers to share (metrics, GET /'s links, the list slots,
// the shutdown signal). NewServer fills it before building any handler.
type handlerEnv struct {
	st        Store
	logger    *slog.Logger
	metrics   *Metrics
	links     fiber.Map // GET /'s links (routeLinks)
	deleteAll deleteAllConfig
	stopping  context.Context // done when the server shuts down
	scans     scanSlots       // the GET /objects lists that may run at once
	// readyCacheTTL is how long /readyz reuses the store's Ready answer (READY_CACHE_TTL).
	readyCacheTTL time.Duration
}

// deleteAllConfig is DELETE /objects' configuration.
type deleteAllConfig struct {
	enabled bool
	timeout time.Duration
}
