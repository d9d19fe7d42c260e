package httpapi

import (
	"context"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/acme/objects-api/src/config"
	"github.com/acme/objects-api/src/store"
)

// New wires the API for cfg: the DynamoDB client, the store reporting to the metrics, and the
// server. main and the benchmark's profiling mode both serve what it returns, on WrapListener.
// The error is the SDK's, when it cannot load its configuration.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger) (*fiber.App, error) {
	client, err := store.NewClient(ctx, cfg.Region, cfg.EndpointURL)
	if err != nil {
		return nil, err
	}
	metrics := NewMetrics()
	api := store.Instrument(client, metrics.ObserveDynamoDB)
	st := store.New(api, cfg.TableName, cfg.HashKeyName, cfg.EndpointURL, cfg.Timeout)
	return NewServer(st, logger, WithMetrics(metrics)), nil
}
