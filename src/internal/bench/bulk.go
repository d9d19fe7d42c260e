package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/object"
)

func phaseDelete(n int) string { return fmt.Sprintf("DELETE /objects (%d)", n) }

// listPhase seeds the table up to n items, then lists it through the API (GET /objects) and
// with a direct paginated Scan of the API's projection. Every body must hold exactly n
// objects; the first body of each API run must hold exactly the seeded ids.
func (h *harness) listPhase(ctx context.Context, n int) error {
	more, err := testutil.SeedIDs(ctx, h.ddb, table, hashKey, n-len(h.seeded), 0)
	if err != nil {
		return err
	}
	h.seeded = append(h.seeded, more...)
	var sample []byte // the first body of the API run
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: "GET", URL: h.api.base + "/objects"})
	check := func(r *vegeta.Result) error {
		if r.Code != 200 {
			return fmt.Errorf("GET /objects: status %d: %s", r.Code, testutil.Clip(r.Body))
		}
		if got := bytes.Count(r.Body, []byte(`{"uuid":`)); got != n || !bytes.HasSuffix(r.Body, []byte("]}")) {
			return fmt.Errorf("GET /objects: %d objects in a %d-byte body, want %d", got, len(r.Body), n)
		}
		if sample == nil {
			sample = r.Body
		}
		return nil
	}
	scan := func(ctx context.Context) error {
		got := 0
		err := scanAll(ctx, h.ddb, true, func(items []map[string]types.AttributeValue) { got += len(items) })
		if err == nil && got != n {
			err = fmt.Errorf("Scan: %d items, want %d", got, n)
		}
		return err
	}
	return h.pair(ctx, phaseList(n), h.cfg.ListWorkers, tr, check, scan, func(s *series) {
		s.Items = n
		if s.Target == "api" {
			s.setComplete(s.Errors == 0 && sample != nil && sameIDs(sample, h.seeded) == nil)
			sample = nil
		} else {
			s.setComplete(s.Errors == 0 && s.ok > 0)
		}
	})
}

// sameIDs checks that a GET /objects body lists exactly ids, each once, each with a ts.
func sameIDs(body []byte, ids []string) error {
	var doc struct {
		Objects []object.Object `json:"objects"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return err
	}
	got := make([]string, len(doc.Objects))
	for i, o := range doc.Objects {
		if o.TS == "" {
			return fmt.Errorf("object %q has no ts", o.UUID)
		}
		got[i] = o.UUID
	}
	if slices.Sort(got); !slices.Equal(got, slices.Sorted(slices.Values(ids))) {
		return fmt.Errorf("%d objects listed, not exactly the %d seeded ones", len(got), len(ids))
	}
	return nil
}

// deletePhase: DELETE /objects of n items through the API, and the two direct baselines on
// the same number of freshly seeded items: Scan + BatchWriteItem (interleaved with the API
// runs), then one DeleteItem at a time with one worker (once: it is the slow one).
func (h *harness) deletePhase(ctx context.Context, n int) error {
	name := phaseDelete(n)
	api, batched, single := h.series(name, "api"), h.series(name, "direct"), h.series(name, "direct, 1 DeleteItem at a time")
	want := fmt.Sprintf(`{"msg":"Objects deleted","deleted":%d}`, n)
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: "DELETE", URL: h.api.base + "/objects"})
	check := func(r *vegeta.Result) error {
		if r.Code != 200 || string(r.Body) != want {
			return fmt.Errorf("DELETE /objects: status %d: %s; want %s", r.Code, testutil.Clip(r.Body), want)
		}
		return nil
	}
	// onFullTable fills the table up to n items, runs one deletion as a run of s, and checks that
	// the table is empty after it (so a direct baseline that deletes less is incomplete).
	onFullTable := func(s *series, run func() error) error {
		s.Items = n
		have, err := count(ctx, h.ddb)
		if err == nil && have < n {
			_, err = testutil.SeedIDs(ctx, h.ddb, table, hashKey, n-have, 0)
		}
		if err == nil {
			err = run()
		}
		if err != nil {
			return err
		}
		left, err := count(ctx, h.ddb)
		s.setComplete(err == nil && left == 0 && s.Errors == 0)
		return err
	}
	direct := func(s *series, del func(context.Context, *dynamodb.Client) error) error {
		return onFullTable(s, func() error {
			return h.pool(ctx, s, once, func(ctx context.Context) error {
				ctx, cancel := context.WithTimeout(ctx, requestTimeout)
				defer cancel()
				return del(ctx, h.ddb)
			})
		})
	}
	err := h.rounds(
		func() error { return onFullTable(api, func() error { return h.attack(api, once, tr, check) }) },
		func() error { return direct(batched, deleteBatched) },
	)
	if err != nil {
		return err
	}
	return direct(single, deleteOneByOne)
}
