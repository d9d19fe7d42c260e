package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// maxBatch is BatchWriteItem's limit of requests per call (DynamoDB API reference).
const maxBatch = 25

// Backoff paces retries of UnprocessedItems: Attempts calls in all, waiting First, then twice
// as long each time, capped at Max (AWS recommends exponential backoff for UnprocessedItems).
type Backoff struct {
	Attempts   int
	First, Max time.Duration
}

// DefaultBackoff gives up after about 3 s of waiting in all.
var DefaultBackoff = Backoff{Attempts: 8, First: 25 * time.Millisecond, Max: time.Second}

// SetBackoff replaces the UnprocessedItems retry schedule (tests shorten it).
func (s *Store) SetBackoff(b Backoff) { s.retry = b }

// DeleteAll deletes every object in the table: it scans the keys page by page and deletes them
// with BatchWriteItem, 25 at a time, retrying UnprocessedItems. It returns nil only when every
// item the scan saw is deleted; otherwise the error says how many were deleted.
func (s *Store) DeleteAll(ctx context.Context) (deleted int, err error) {
	pages := s.keyPages()
	for pages.HasMorePages() {
		page, err := s.nextKeys(ctx, pages)
		if err != nil {
			return deleted, s.partial(err, deleted)
		}
		for start := 0; start < len(page); start += maxBatch {
			chunk := page[start:min(start+maxBatch, len(page))]
			n, err := s.batchDelete(ctx, deleteRequests(chunk))
			deleted += n
			if err != nil {
				return deleted, s.partial(err, deleted)
			}
		}
	}
	return deleted, nil
}

func (s *Store) nextKeys(ctx context.Context, p *dynamodb.ScanPaginator) ([]map[string]types.AttributeValue, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := p.NextPage(ctx)
	if err != nil {
		return nil, s.wrap("Scan", err)
	}
	return out.Items, nil
}

// batchDelete writes reqs (at most 25), retrying UnprocessedItems with backoff. done is how
// many of reqs DynamoDB processed, also when it gives up.
func (s *Store) batchDelete(ctx context.Context, reqs []types.WriteRequest) (done int, err error) {
	total := len(reqs)
	wait := s.retry.First
	for attempt := 1; ; attempt++ {
		left, err := s.batchWrite(ctx, reqs)
		if err != nil {
			return total - len(reqs), err
		}
		if len(left) == 0 {
			return total, nil
		}
		if attempt >= s.retry.Attempts {
			return total - len(left), &Error{Kind: Unavailable, Op: "BatchWriteItem", Msg: fmt.Sprintf(
				"%d deletes still unprocessed after %d attempts (DynamoDB is throttling)", len(left), attempt)}
		}
		select {
		case <-ctx.Done():
			return total - len(left), s.wrap("BatchWriteItem", ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, s.retry.Max)
		reqs = left
	}
}

func (s *Store) batchWrite(ctx context.Context, reqs []types.WriteRequest) ([]types.WriteRequest, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := s.api.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
		RequestItems: map[string][]types.WriteRequest{s.table: reqs},
	})
	if err != nil {
		return nil, s.wrap("BatchWriteItem", err)
	}
	return out.UnprocessedItems[s.table], nil
}

// partial adds the count of items already deleted to err's message.
func (s *Store) partial(err error, deleted int) error {
	var e *Error
	if errors.As(err, &e) {
		cp := *e
		cp.Msg = fmt.Sprintf("%s (%d objects were deleted before the failure; the rest remain)", e.Msg, deleted)
		return &cp
	}
	return err
}
