package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func phaseDelete(n int) string { return fmt.Sprintf("DELETE /objects (%d)", n) }

// listPhase seeds the table up to n items, then lists it through the API (GET /objects) and
// with a direct paginated Scan of the API's projection. Every body must hold exactly n
// objects; the first body of each API run must hold exactly the seeded ids.
func (h *harness) listPhase(ctx context.Context, n int) error {
	more, err := seed(ctx, h.ddb, n-len(h.seeded))
	if err != nil {
		return err
	}
	h.seeded = append(h.seeded, more...)
	name := phaseList(n)
	api, direct := h.series(name, "api"), h.series(name, "direct")
	api.items, direct.items = n, n
	var sample []byte
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: "GET", URL: h.api.base + "/objects"})
	check := func(r *vegeta.Result) error {
		if r.Code != 200 {
			return fmt.Errorf("GET /objects: status %d: %s", r.Code, clip(r.Body))
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
		err := scanAll(ctx, h.ddb, "#k, #t", func(items []map[string]types.AttributeValue) { got += len(items) })
		if err == nil && got != n {
			err = fmt.Errorf("Scan: %d items, want %d", got, n)
		}
		return err
	}
	return h.rounds(
		func() error {
			sample = nil
			if err := h.attack(api, h.cfg.ListWorkers, tr, check); err != nil {
				return err
			}
			api.setComplete(api.errors == 0 && sample != nil && sameIDs(sample, h.seeded) == nil)
			return nil
		},
		func() error {
			err := h.pool(ctx, direct, h.cfg.ListWorkers, scan)
			direct.setComplete(direct.errors == 0 && direct.ok > 0)
			return err
		},
	)
}

// sameIDs checks that a GET /objects body lists exactly ids, each once, each with a ts.
func sameIDs(body []byte, ids []string) error {
	var doc struct {
		Objects []struct {
			UUID string  `json:"uuid"`
			TS   *string `json:"ts"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return err
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	for _, o := range doc.Objects {
		if !want[o.UUID] || o.TS == nil {
			return fmt.Errorf("unexpected, repeated or ts-less object %q", o.UUID)
		}
		delete(want, o.UUID)
	}
	if len(want) != 0 {
		return fmt.Errorf("%d seeded objects missing", len(want))
	}
	return nil
}

// deletePhase: DELETE /objects of n items through the API, and the two direct baselines on
// the same number of freshly seeded items: Scan + BatchWriteItem (interleaved with the API
// runs), then one DeleteItem at a time with one worker (once: it is the slow one).
func (h *harness) deletePhase(ctx context.Context, n int) error {
	name := phaseDelete(n)
	api, batched, single := h.series(name, "api"), h.series(name, "direct"), h.series(name, "direct, 1 DeleteItem at a time")
	api.items, batched.items, single.items = n, n, n
	fill := func() error {
		have, err := count(ctx, h.ddb)
		if err == nil && have < n {
			_, err = seed(ctx, h.ddb, n-have)
		}
		return err
	}
	emptied := func(s *series) error {
		left, err := count(ctx, h.ddb)
		s.setComplete(err == nil && left == 0 && s.errors == 0)
		return err
	}
	want := fmt.Sprintf(`{"msg":"Objects deleted","deleted":%d}`, n)
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: "DELETE", URL: h.api.base + "/objects"})
	check := func(r *vegeta.Result) error {
		if r.Code != 200 || string(r.Body) != want {
			return fmt.Errorf("DELETE /objects: status %d: %s; want %s", r.Code, clip(r.Body), want)
		}
		return nil
	}
	direct := func(s *series, del func(context.Context, *dynamodb.Client) (int, error)) error {
		if err := fill(); err != nil {
			return err
		}
		err := h.measure(s, false, func() {
			h.poolN(ctx, s, 1, requestTimeout, 1, func(ctx context.Context) error {
				ctx, cancel := context.WithTimeout(ctx, requestTimeout)
				defer cancel()
				got, err := del(ctx, h.ddb)
				if err == nil && got != n {
					err = fmt.Errorf("deleted %d items, want %d", got, n)
				}
				return err
			})
		})
		if err != nil {
			return err
		}
		return emptied(s)
	}
	err := h.rounds(
		func() error {
			if err := fill(); err != nil {
				return err
			}
			if err := h.attackN(api, 1, requestTimeout, 1, tr, check); err != nil {
				return err
			}
			return emptied(api)
		},
		func() error { return direct(batched, deleteBatched) },
	)
	if err != nil {
		return err
	}
	return direct(single, deleteOneByOne)
}
