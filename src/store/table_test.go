package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/store"
)

// Every test table is made by store.CreateTable (testutil); what is left to prove is that it can
// be run again over its own table, and refuses a table whose hash key is another attribute.
func TestCreateTableRerunsAndRefusesAnotherKey(t *testing.T) {
	c := testutil.Client(t, testutil.Endpoint(t))
	name := testutil.CreateTable(t, c, "uuid")
	ctx := context.Background()
	if err := store.CreateTable(ctx, c, name, "uuid"); err != nil {
		t.Errorf("CreateTable over its own table: %v", err)
	}
	if err := store.CreateTable(ctx, c, name, "id"); !errors.Is(err, store.ErrOtherKey) {
		t.Errorf("CreateTable over a table keyed by uuid, asking for id: %v, want ErrOtherKey", err)
	}
}
