package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/contract"
	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/object"
	"github.com/acme/objects-api/src/store"
)

// seed puts n objects in f's store and returns their ids.
func (f *fixture) seed(t *testing.T, n int) map[string]bool {
	t.Helper()
	ids := make(map[string]bool, n)
	for range n {
		id := uuid.NewString()
		ids[id] = true
		if _, err := f.store.Put(context.Background(), object.Object{UUID: id, TS: "2022-08-25T12:06:56.563581"}); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// failScanPage makes the store fail its nth Scan page (1-based) and counts the pages read.
func failScanPage(st *testutil.MemStore, nth int64) *atomic.Int64 {
	var pages atomic.Int64
	st.Hook = func(_ context.Context, op, _ string) error {
		if op == "Scan" && pages.Add(1) == nth {
			return &store.Error{Kind: store.Unavailable, Op: "Scan", Msg: "injected Scan failure"}
		}
		return nil
	}
	return &pages
}

func TestListManyPages(t *testing.T) {
	f := newFixture(t)
	f.store.PageSize = 7
	want := f.seed(t, 100)
	pages := failScanPage(f.store, 0)
	got := contract.ListIDs(t, "http://"+f.listen(t))
	if len(got) != len(want) {
		t.Fatalf("listed %d objects, want %d", len(got), len(want))
	}
	for id := range want {
		if !got[id] {
			t.Fatalf("%s missing from the list", id)
		}
	}
	if n := pages.Load(); n != 15 {
		t.Fatalf("%d Scan pages read, want 15 (100 objects, 7 a page)", n)
	}
}

func TestListAbortsMidStream(t *testing.T) {
	f := newFixture(t)
	f.store.PageSize = 7
	f.seed(t, 100)
	failScanPage(f.store, 2)
	resp, err := contract.Client(t).Get("http://" + f.listen(t) + "/objects")
	if err != nil {
		t.Fatalf("GET /objects: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: the first page was fine, so headers should say 200", resp.StatusCode)
	}
	body, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Fatalf("body read completed (%d bytes); want a failed transfer", len(body))
	}
	if json.Valid(body) {
		t.Fatal("the truncated body is valid JSON")
	}
}

func TestListItemsWrittenByOtherPrograms(t *testing.T) {
	f := newFixtureWith(t, testutil.NewMemStore(object.Object{UUID: "not-a-uuid \"quoted\" \x01"}))
	r := f.do(t, "GET", "/objects")
	if r.status != 200 || !json.Valid([]byte(r.body)) || !strings.Contains(r.body, `"ts":null`) {
		t.Fatalf("an item written by another program must still list as valid JSON: %d %s", r.status, r.body)
	}
}
