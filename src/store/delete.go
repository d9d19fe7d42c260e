package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// deleteWorkers is how many DeleteItem calls DeleteAll keeps in flight.
const deleteWorkers = 32

// DeleteAll deletes every object in the table: it scans the keys page by page (ConsistentRead)
// and deletes each with DeleteItem, ReturnValues ALL_OLD, deleteWorkers at a time. deleted
// counts only the items this call removed: an item that another request deleted in the
// meantime is not counted, so concurrent calls never count an object twice. (BatchWriteItem
// would be cheaper but cannot say whether an item was there.)
//
// It stops at the first failure, or when ctx is done (the client went away, the overall
// bound passed), and returns the count so far with an *Error saying how many were deleted.
func (s *Store) DeleteAll(ctx context.Context) (deleted int, err error) {
	var n atomic.Int64
	pages := s.keyPages()
	for pages.HasMorePages() {
		page, err := s.nextKeys(ctx, pages)
		if err == nil {
			err = s.deleteKeys(ctx, page, &n)
		}
		if err != nil {
			return int(n.Load()), s.partial(ctx, err, int(n.Load()))
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
		if _, ok := item[s.cfg.HashKey].(*types.AttributeValueMemberS); !ok {
			return nil, s.wrongKey()
		}
	}
	return out.Items, nil
}

// deleteKeys deletes keys in parallel, adding to n each item it removed. The first error
// stops the feeding of keys; calls in flight finish (and are counted), so the count stays
// exact. When ctx ends, calls cut off may have deleted their item uncounted: the count is then
// a lower bound.
func (s *Store) deleteKeys(ctx context.Context, keys []map[string]types.AttributeValue, n *atomic.Int64) error {
	var (
		first  error
		once   sync.Once
		failed = make(chan struct{})
		next   = make(chan map[string]types.AttributeValue)
		wg     sync.WaitGroup
	)
	for range min(deleteWorkers, len(keys)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for key := range next {
				removed, err := s.deleteKey(ctx, key)
				if err != nil {
					once.Do(func() { first = err; close(failed) })
					continue // drain: the feeder stops at once
				}
				if removed {
					n.Add(1)
				}
			}
		}()
	}
feed:
	for _, key := range keys {
		select {
		case next <- key:
		case <-failed:
			break feed
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

func (s *Store) deleteKey(ctx context.Context, key map[string]types.AttributeValue) (removed bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	out, err := s.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: &s.cfg.Table, Key: key, ReturnValues: types.ReturnValueAllOld,
	})
	if err != nil {
		return false, s.wrap("DeleteItem", err)
	}
	return len(out.Attributes) > 0, nil
}

// partial says how many objects were deleted before err. When ctx itself ended (the client
// went away, or the overall bound passed) the error says that, not what the SDK saw.
func (s *Store) partial(ctx context.Context, err error, deleted int) error {
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
	e.Msg = fmt.Sprintf("%s; %d objects were deleted before that and the rest remain: repeat the request to finish", e.Msg, deleted)
	e.Deleted = deleted
	return e
}
