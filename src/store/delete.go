package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/sync/errgroup"

	"github.com/acme/objects-api/src/object"
)

const (
	// maxBatch is BatchWriteItem's limit of requests per call (DynamoDB API reference).
	maxBatch = 25
	// batchWorkers is how many BatchWriteItem calls DeleteAll keeps in flight.
	batchWorkers = 4
)

// backoff paces retries of UnprocessedItems: attempts calls in all, waiting first, then twice
// as long each time, capped at max (AWS recommends exponential backoff for UnprocessedItems).
type backoff struct {
	attempts   int
	first, max time.Duration
}

// unprocessedBackoff gives up after about 3 s of waiting in all.
var unprocessedBackoff = backoff{attempts: 8, first: 25 * time.Millisecond, max: time.Second}

// DeleteAll deletes every object in the table: it scans the keys page by page (ConsistentRead)
// and deletes them with BatchWriteItem, 25 per call, batchWorkers calls in flight, retrying
// UnprocessedItems. A nil error means every object that existed when it started is gone;
// objects written while it runs may remain. deleted counts the deletes DynamoDB processed.
//
// BatchWriteItem cannot say whether an item was still there, so two DeleteAll calls running at
// once would both count an object they both saw. They therefore take turns on a Store: the
// second waits (within its ctx) and finds only what the first left, so concurrent calls on one
// process never count an object twice. (DeleteItem with ALL_OLD per item would make the count
// exact across processes too, at several times the cost; see docs/BENCHMARKS.md.)
//
// It stops at the first failure, or when ctx is done (the client went away, the overall
// bound passed), and returns an *Error saying how many were deleted. deleted is then a lower
// bound: a call that failed or was cut off may have been applied, in part or whole, without
// DynamoDB's answer arriving to say so.
func (s *Store) DeleteAll(ctx context.Context) (deleted int, err error) {
	select {
	case s.deleting <- struct{}{}:
		defer func() { <-s.deleting }()
	case <-ctx.Done():
		return 0, s.deleteAllError(ctx, ctx.Err(), 0)
	}
	var n atomic.Int64
	pages := s.keyPages()
	for pages.HasMorePages() {
		page, err := s.nextKeys(ctx, pages)
		if err == nil {
			err = s.deleteKeys(ctx, page, &n)
		}
		if err != nil {
			return int(n.Load()), s.deleteAllError(ctx, err, int(n.Load()))
		}
	}
	return int(n.Load()), nil
}

func (s *Store) nextKeys(ctx context.Context, p *dynamodb.ScanPaginator) ([]map[string]types.AttributeValue, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	out, err := p.NextPage(ctx)
	if err != nil {
		return nil, s.wrap("Scan", err)
	}
	for _, item := range out.Items {
		if _, ok := object.FromItem(item, s.cfg.HashKey); !ok {
			return nil, s.wrongKey()
		}
	}
	return out.Items, nil
}

// deleteKeys deletes keys in batches, batchWorkers at a time, adding to n what each batch
// removed. The first error stops the starting of batches; calls in flight finish (and are
// counted). When ctx ends, or a call fails, that call may have deleted its items uncounted:
// the count is then a lower bound.
func (s *Store) deleteKeys(ctx context.Context, keys []map[string]types.AttributeValue, n *atomic.Int64) error {
	var g errgroup.Group // no WithContext: a failure must not cancel the calls in flight
	g.SetLimit(batchWorkers)
	var failed atomic.Bool
	for start := 0; start < len(keys) && !failed.Load() && ctx.Err() == nil; start += maxBatch {
		reqs := deleteRequests(keys[start:min(start+maxBatch, len(keys))])
		g.Go(func() error { // waits for a free slot
			done, err := s.batchDelete(ctx, reqs)
			n.Add(int64(done))
			if err != nil {
				failed.Store(true)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

func deleteRequests(keys []map[string]types.AttributeValue) []types.WriteRequest {
	reqs := make([]types.WriteRequest, len(keys))
	for i, k := range keys {
		reqs[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k}}
	}
	return reqs
}

// batchDelete writes reqs (at most 25), retrying UnprocessedItems with backoff. done is how
// many of reqs DynamoDB said it processed, also when it gives up; a call that fails (a timeout,
// a lost answer, a 500) counts none of its reqs, though DynamoDB may have applied them.
func (s *Store) batchDelete(ctx context.Context, reqs []types.WriteRequest) (done int, err error) {
	total, wait := len(reqs), s.retry.first
	for attempt := 1; ; attempt++ {
		left, err := s.batchWrite(ctx, reqs)
		if err != nil {
			return total - len(reqs), err
		}
		if len(left) == 0 {
			return total, nil
		}
		if attempt >= s.retry.attempts {
			return total - len(left), &Error{Kind: Unavailable, Op: "BatchWriteItem", Msg: "DynamoDB is throttling the deletes; retry later",
				Err: fmt.Errorf("%d deletes still unprocessed after %d attempts", len(left), attempt)}
		}
		select {
		case <-ctx.Done():
			return total - len(left), ctx.Err()
		case <-time.After(wait):
		}
		wait, reqs = min(2*wait, s.retry.max), left
	}
}

func (s *Store) batchWrite(ctx context.Context, reqs []types.WriteRequest) ([]types.WriteRequest, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	out, err := s.api.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
		RequestItems: map[string][]types.WriteRequest{s.cfg.Table: reqs},
	})
	if err != nil {
		return nil, s.wrap("BatchWriteItem", err)
	}
	return out.UnprocessedItems[s.cfg.Table], nil
}

// deleteAllError is the *Error DeleteAll returns when it stops early: err's, saying that at
// least deleted objects were deleted before it. When ctx itself ended (the client went away, or
// the overall bound passed) the error says that, not what the SDK saw.
func (s *Store) deleteAllError(ctx context.Context, err error, deleted int) error {
	var e *Error
	switch {
	case ctx.Err() != nil:
		e = &Error{Kind: Timeout, Op: "DeleteAll", Err: context.Cause(ctx), Msg: "deleting every object took longer than its time limit"}
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			e.Kind, e.Msg = Unavailable, "deleting every object was stopped (the request was cancelled)"
		}
	case errors.As(err, &e):
		cp := *e
		e = &cp
	default:
		e = &Error{Kind: Unavailable, Op: "DeleteAll", Err: err, Msg: "failed"}
	}
	e.Msg = fmt.Sprintf("%s; at least %d objects were deleted before that: repeat the request to delete the rest", e.Msg, deleted)
	return e
}
