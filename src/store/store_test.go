package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/dynalitetest"
	"github.com/acme/objects-api/src/store"
)

func TestMain(m *testing.M) { os.Exit(dynalitetest.Run(m)) }

// newStore returns a store on a fresh table of the shared test backend, and the raw client.
func newStore(t *testing.T, hashKey string) (*store.Store, *dynamodb.Client, string) {
	t.Helper()
	ep := dynalitetest.Endpoint(t)
	c := dynalitetest.Client(t, ep)
	table := dynalitetest.CreateTable(t, c, hashKey)
	return store.New(c, table, hashKey, ep, 5*time.Second), c, table
}

func TestPutGetDelete(t *testing.T) {
	for _, hashKey := range []string{"uuid", "id", "name"} { // "name" is a DynamoDB reserved word
		t.Run(hashKey, func(t *testing.T) {
			s, _, _ := newStore(t, hashKey)
			ctx := context.Background()
			id := uuid.NewString()
			created, err := s.Put(ctx, id, "2022-08-25T12:06:56.563581")
			if err != nil || !created {
				t.Fatalf("first Put = %v, %v; want created", created, err)
			}
			created, err = s.Put(ctx, id, "2022-08-25T12:06:57.000001")
			if err != nil || created {
				t.Fatalf("second Put = %v, %v; want replaced", created, err)
			}
			got, err := s.Get(ctx, id)
			if want := (store.Object{UUID: id, TS: "2022-08-25T12:06:57.000001"}); err != nil || got != want {
				t.Fatalf("Get = %+v, %v; want %+v", got, err, want)
			}
			if err := s.Delete(ctx, id); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if _, err := s.Get(ctx, id); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
			}
			if err := s.Delete(ctx, id); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("second Delete: err = %v, want ErrNotFound", err)
			}
			if err := s.Ready(ctx); err != nil {
				t.Fatalf("Ready: %v", err)
			}
		})
	}
}

// countingAPI counts the calls made through it.
type countingAPI struct {
	store.API
	scans, batches atomic.Int64
}

func (c *countingAPI) Scan(ctx context.Context, in *dynamodb.ScanInput, o ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	c.scans.Add(1)
	return c.API.Scan(ctx, in, o...)
}

func (c *countingAPI) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	c.batches.Add(1)
	if n := len(in.RequestItems[firstKey(in.RequestItems)]); n > 25 {
		return nil, fmt.Errorf("batch of %d requests, DynamoDB allows 25", n)
	}
	return c.API.BatchWriteItem(ctx, in, o...)
}

func firstKey(m map[string][]types.WriteRequest) string {
	for k := range m {
		return k
	}
	return ""
}

// seed writes n items directly, each padded with pad bytes in an extra attribute.
func seed(t *testing.T, c *dynamodb.Client, table, hashKey string, n, pad int) map[string]bool {
	t.Helper()
	ids := make(map[string]bool, n)
	padding := strings.Repeat("x", pad)
	var reqs []types.WriteRequest
	flush := func() {
		if len(reqs) == 0 {
			return
		}
		out, err := c.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs}})
		if err != nil || len(out.UnprocessedItems) > 0 {
			t.Fatalf("seed: %v (unprocessed %d)", err, len(out.UnprocessedItems))
		}
		reqs = reqs[:0]
	}
	for i := 0; i < n; i++ {
		id := uuid.NewString()
		ids[id] = true
		item := map[string]types.AttributeValue{
			hashKey: &types.AttributeValueMemberS{Value: id},
			"ts":    &types.AttributeValueMemberS{Value: "2022-08-25T12:06:56.563581"},
		}
		if pad > 0 {
			item["pad"] = &types.AttributeValueMemberS{Value: padding}
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		if len(reqs) == 25 {
			flush()
		}
	}
	flush()
	return ids
}

func listAll(t *testing.T, s *store.Store) []store.Object {
	t.Helper()
	var all, page []store.Object
	for p := s.Scan(); p.More(); {
		var err error
		if page, err = p.Next(context.Background(), page); err != nil {
			t.Fatalf("Scan page: %v", err)
		}
		all = append(all, page...)
	}
	return all
}

func TestScanFollowsEveryPage(t *testing.T) {
	_, c, table := newStore(t, "uuid")
	// 130 items of ~10 KB: about 1.3 MB, more than one 1 MB Scan page.
	ids := seed(t, c, table, "uuid", 130, 10_000)
	api := &countingAPI{API: c}
	s := store.New(api, table, "uuid", "", 5*time.Second)
	all := listAll(t, s)
	if len(all) != len(ids) {
		t.Fatalf("listed %d objects, want %d", len(all), len(ids))
	}
	for _, o := range all {
		if !ids[o.UUID] || o.TS != "2022-08-25T12:06:56.563581" {
			t.Fatalf("unexpected object %+v", o)
		}
		delete(ids, o.UUID)
	}
	if n := api.scans.Load(); n < 2 {
		t.Fatalf("%d Scan calls; the data needs at least 2 pages, so the test did not exercise paging", n)
	}
}

func TestDeleteAll(t *testing.T) {
	for _, n := range []int{0, 1, 25, 26, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			_, c, table := newStore(t, "uuid")
			seed(t, c, table, "uuid", n, 0)
			api := &countingAPI{API: c}
			s := store.New(api, table, "uuid", "", 5*time.Second)
			deleted, err := s.DeleteAll(context.Background())
			if err != nil || deleted != n {
				t.Fatalf("DeleteAll = %d, %v; want %d, nil", deleted, err, n)
			}
			if left := listAll(t, s); len(left) != 0 {
				t.Fatalf("%d objects left after DeleteAll", len(left))
			}
			if want := int64((n + 24) / 25); api.batches.Load() != want {
				t.Fatalf("%d BatchWriteItem calls, want %d", api.batches.Load(), want)
			}
		})
	}
}

// unprocessingAPI performs only the first keep requests of each of its first `times` batches
// and hands the rest back as UnprocessedItems, as DynamoDB does when it throttles.
type unprocessingAPI struct {
	store.API
	keep  int
	times atomic.Int64
}

func (u *unprocessingAPI) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	if u.times.Add(-1) < 0 {
		return u.API.BatchWriteItem(ctx, in, o...)
	}
	table := firstKey(in.RequestItems)
	reqs := in.RequestItems[table]
	k := min(u.keep, len(reqs))
	if k == 0 {
		return &dynamodb.BatchWriteItemOutput{UnprocessedItems: in.RequestItems}, nil
	}
	out, err := u.API.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs[:k]}}, o...)
	if err != nil {
		return nil, err
	}
	if k < len(reqs) {
		out.UnprocessedItems = map[string][]types.WriteRequest{table: reqs[k:]}
	}
	return out, nil
}

func TestDeleteAllRetriesUnprocessedItems(t *testing.T) {
	_, c, table := newStore(t, "uuid")
	seed(t, c, table, "uuid", 60, 0)
	api := &unprocessingAPI{API: c, keep: 3}
	api.times.Store(10)
	s := store.New(api, table, "uuid", "", 5*time.Second)
	s.SetBackoff(store.Backoff{Attempts: 20, First: time.Millisecond, Max: 5 * time.Millisecond})
	deleted, err := s.DeleteAll(context.Background())
	if err != nil || deleted != 60 {
		t.Fatalf("DeleteAll = %d, %v; want 60, nil", deleted, err)
	}
	if left := listAll(t, s); len(left) != 0 {
		t.Fatalf("%d objects left", len(left))
	}
}

func TestDeleteAllGivesUpWithoutClaimingSuccess(t *testing.T) {
	_, c, table := newStore(t, "uuid")
	seed(t, c, table, "uuid", 30, 0)
	api := &unprocessingAPI{API: c, keep: 0}
	api.times.Store(1 << 30) // never processes anything
	s := store.New(api, table, "uuid", "", 5*time.Second)
	s.SetBackoff(store.Backoff{Attempts: 4, First: time.Millisecond, Max: 2 * time.Millisecond})
	deleted, err := s.DeleteAll(context.Background())
	var se *store.Error
	if !errors.As(err, &se) || se.Kind != store.Unavailable || deleted != 0 {
		t.Fatalf("DeleteAll = %d, %v; want 0 and an Unavailable error", deleted, err)
	}
	if !strings.Contains(se.Msg, "unprocessed") {
		t.Fatalf("error %q does not say items were unprocessed", se.Msg)
	}
	if left := listAll(t, store.New(c, table, "uuid", "", 5*time.Second)); len(left) != 30 {
		t.Fatalf("%d objects left, want all 30", len(left))
	}
}

func TestErrorsNameTheCause(t *testing.T) {
	ep := dynalitetest.Endpoint(t)
	c := dynalitetest.Client(t, ep)
	ctx := context.Background()
	missing := store.New(c, "no-such-table", "uuid", ep, 5*time.Second)
	_, err := missing.Put(ctx, uuid.NewString(), "x")
	var se *store.Error
	if !errors.As(err, &se) || se.Kind != store.Unavailable || !strings.Contains(se.Msg, `"no-such-table"`) || !strings.Contains(se.Msg, "terraform") {
		t.Fatalf("Put on a missing table: %v; want Unavailable naming the table and the terraform job", err)
	}
	if err := missing.Ready(ctx); !errors.As(err, &se) || se.Kind != store.Unavailable {
		t.Fatalf("Ready on a missing table: %v; want Unavailable", err)
	}

	// A port nobody listens on: refused at once, reported as unreachable.
	dead := dynalitetest.Client(t, "http://127.0.0.1:1")
	s := store.New(dead, "objects", "uuid", "http://127.0.0.1:1", 5*time.Second)
	start := time.Now()
	_, err = s.Get(ctx, uuid.NewString())
	if !errors.As(err, &se) || se.Kind != store.Unavailable || !strings.Contains(se.Msg, "unreachable") {
		t.Fatalf("Get on a dead endpoint: %v; want Unavailable/unreachable", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Get on a dead endpoint took %s; bounded retries should fail fast", d)
	}

	// A hash key that is not the table's: DynamoDB rejects it; retrying cannot help.
	_, _, table := newStore(t, "uuid")
	wrongKey := store.New(c, table, "id", ep, 5*time.Second)
	if _, err := wrongKey.Put(ctx, uuid.NewString(), "x"); !errors.As(err, &se) || se.Kind != store.Rejected {
		t.Fatalf("Put with the wrong hash key: %v; want Rejected", err)
	}
	if err := wrongKey.Ready(ctx); !errors.As(err, &se) || !strings.Contains(se.Msg, "DDB_HASH_KEY_NAME") {
		t.Fatalf("Ready with the wrong hash key: %v; want an error naming DDB_HASH_KEY_NAME", err)
	}

	// No credentials at all against a local endpoint: the message says what to set.
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	anon, err := store.NewClient(ctx, "us-east-1", ep)
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.New(anon, table, "uuid", ep, 5*time.Second).Get(ctx, uuid.NewString())
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "AWS_ACCESS_KEY_ID") {
		t.Fatalf("Get without credentials: %v; want a message naming AWS_ACCESS_KEY_ID", err)
	}
}
