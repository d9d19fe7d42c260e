package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/acme/objects-api/src/config"
	"github.com/acme/objects-api/src/store"
)

// tableWait is how long create-table keeps trying while DynamoDB does not answer: a stack
// started without health-gated ordering (Tilt) may run it before DynamoDB Local listens.
const tableWait = 30 * time.Second

// createTable creates the configured table as the API expects it (store.TableInput), unless it
// exists. It is the local stack's table job where Terraform cannot run (offline/README.md).
func (t *tool) createTable(ctx context.Context, c store.TableAPI, cfg config.Config, args []string) error {
	if len(args) != 0 {
		return fmt.Errorf("%w: create-table takes no arguments", errUsage)
	}
	ctx, cancel := context.WithTimeout(ctx, tableWait)
	defer cancel()
	for {
		err := store.CreateTable(ctx, c, cfg.TableName, cfg.HashKeyName)
		if err == nil {
			fmt.Fprintf(t.stdout, "create-table: %s is ACTIVE (hash key %s)\n", t.where, cfg.HashKeyName)
			return nil
		}
		if ctx.Err() != nil || errors.Is(err, store.ErrOtherKey) {
			return err
		}
		fmt.Fprintf(t.stderr, "create-table: %v; retrying\n", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Second):
		}
	}
}
