package bench

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/object"
)

// Phase names, as printed and as written to the JSON result.
const (
	phasePut = "PUT /object/{id}"
	phaseGet = "GET /object/{id}"
)

func phaseList(n int) string { return fmt.Sprintf("GET /objects (%d)", n) }

// pair runs the rounds of phase: tr through the API, each response judged by check, and op
// straight against the backend, every run timed with workers; after follows each run.
func (h *harness) pair(ctx context.Context, phase string, workers int, tr vegeta.Targeter, check func(*vegeta.Result) error,
	op func(context.Context) error, after func(s *series),
) error {
	api, direct := h.series(phase, "api"), h.series(phase, "direct")
	return h.rounds(
		func() error { err := h.attack(api, h.timed(workers), tr, check); after(api); return err },
		func() error { err := h.pool(ctx, direct, h.timed(workers), op); after(direct); return err },
	)
}

// putPhase: PUT of fresh v4 ids through the API, PutItem (as the store sends it) directly.
// It returns every id written, for the GET phase.
func (h *harness) putPhase(ctx context.Context) ([]string, error) {
	var mu sync.Mutex
	var ids []string
	keep := func(id string) { mu.Lock(); ids = append(ids, id); mu.Unlock() }
	prefix := h.api.base + "/object/"
	tr := func(t *vegeta.Target) error {
		t.Method, t.URL = "PUT", prefix+uuid.NewString()
		return nil
	}
	check := func(r *vegeta.Result) error {
		if r.Code != 201 {
			return fmt.Errorf("PUT: status %d, want 201: %s", r.Code, testutil.Clip(r.Body))
		}
		keep(strings.TrimPrefix(r.URL, prefix))
		return nil
	}
	put := func(ctx context.Context) error {
		id := uuid.NewString()
		out, err := h.ddb.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(table), Item: item(id), ReturnValues: types.ReturnValueAllOld,
		})
		if err == nil && len(out.Attributes) != 0 {
			err = fmt.Errorf("PutItem %s replaced an item", id)
		}
		if err == nil {
			keep(id)
		}
		return err
	}
	err := h.pair(ctx, phasePut, h.cfg.Workers, tr, check, put, func(*series) {})
	return ids, err
}

// getPhase: GET of existing ids, round robin, through the API and with GetItem directly.
func (h *harness) getPhase(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return errors.New("GET phase: no ids were written by the PUT phase")
	}
	var next atomic.Uint64
	pick := func() string { return ids[next.Add(1)%uint64(len(ids))] }
	prefix := h.api.base + "/object/"
	tr := func(t *vegeta.Target) error {
		t.Method, t.URL = "GET", prefix+pick()
		return nil
	}
	check := func(r *vegeta.Result) error {
		if r.Code != 200 || !strings.Contains(string(r.Body), `"uuid":"`+strings.TrimPrefix(r.URL, prefix)+`"`) {
			return fmt.Errorf("GET: status %d: %s", r.Code, testutil.Clip(r.Body))
		}
		return nil
	}
	get := func(ctx context.Context) error {
		id := pick()
		out, err := h.ddb.GetItem(ctx, &dynamodb.GetItemInput{
			TableName: aws.String(table), Key: object.Key(hashKey, id),
			ConsistentRead: aws.Bool(true),
		})
		if err == nil && out.Item == nil {
			err = fmt.Errorf("GetItem %s: not found", id)
		}
		return err
	}
	return h.pair(ctx, phaseGet, h.cfg.Workers, tr, check, get, func(*series) {})
}
