package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/object"
	"github.com/acme/objects-api/src/store"
)

func TestMain(m *testing.M) { os.Exit(testutil.Run(m)) }

// newStore returns a store on a fresh table of the shared test backend, and the raw client.
func newStore(t *testing.T, hashKey string) (*store.Store, *dynamodb.Client, string) {
	t.Helper()
	ep := testutil.Endpoint(t)
	c := testutil.Client(t, ep)
	table := testutil.CreateTable(t, c, hashKey)
	return store.New(c, cfg(table, hashKey)), c, table
}

func cfg(table, hashKey string) store.Config {
	return store.Config{Table: table, HashKey: hashKey, Timeout: 5 * time.Second}
}

func TestPutGetDelete(t *testing.T) {
	for _, hashKey := range []string{"uuid", "id", "name"} { // "name" is a DynamoDB reserved word
		t.Run(hashKey, func(t *testing.T) {
			s, _, _ := newStore(t, hashKey)
			ctx := context.Background()
			id := uuid.NewString()
			created, err := s.Put(ctx, object.Object{UUID: id, TS: "2022-08-25T12:06:56.563581"})
			if err != nil || !created {
				t.Fatalf("first Put = %v, %v; want created", created, err)
			}
			created, err = s.Put(ctx, object.Object{UUID: id, TS: "2022-08-25T12:06:57.000001"})
			if err != nil || created {
				t.Fatalf("second Put = %v, %v; want replaced", created, err)
			}
			got, err := s.Get(ctx, id)
			if want := (object.Object{UUID: id, TS: "2022-08-25T12:06:57.000001"}); err != nil || got != want {
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

// recordingAPI records the Scan requests sent.
type recordingAPI struct {
	store.API
	mu    sync.Mutex
	scans []*dynamodb.ScanInput
}

func (r *recordingAPI) Scan(ctx context.Context, in *dynamodb.ScanInput, o ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	r.mu.Lock()
	r.scans = append(r.scans, in)
	r.mu.Unlock()
	return r.API.Scan(ctx, in, o...)
}

// TestScanFollowsEveryPage: the list walks every page, and both Scans (the list's and
// DeleteAll's key scan) ask for a strongly consistent read: DynamoDB's default would miss an
// object acknowledged just before.
func TestScanFollowsEveryPage(t *testing.T) {
	_, c, table := newStore(t, "uuid")
	// 130 items of ~10 KB: about 1.3 MB, more than one 1 MB Scan page.
	ids := testutil.Seed(t, c, table, "uuid", 130, 10_000)
	api := &recordingAPI{API: c}
	s := store.New(api, cfg(table, "uuid"))
	all := testutil.ScanAll(t, s)
	if len(all) != len(ids) {
		t.Fatalf("listed %d objects, want %d", len(all), len(ids))
	}
	for _, o := range all {
		if !ids[o.UUID] || o.TS != "2022-08-25T12:06:56.563581" {
			t.Fatalf("unexpected or repeated object %+v", o)
		}
		delete(ids, o.UUID)
	}
	listed := len(api.scans)
	if listed < 2 {
		t.Fatalf("%d Scan calls; the data needs at least 2 pages, so the test did not exercise paging", listed)
	}
	if n, err := s.DeleteAll(context.Background()); err != nil || n != len(all) || len(api.scans) == listed {
		t.Fatalf("DeleteAll = %d, %v after %d Scans; want %d, with a Scan of its own", n, err, len(api.scans)-listed, len(all))
	}
	for i, in := range api.scans {
		if in.ConsistentRead == nil || !*in.ConsistentRead {
			t.Errorf("Scan request %d (%s) without ConsistentRead", i+1, aws.ToString(in.ProjectionExpression))
		}
	}
}

// TestDeleteAll: DeleteAll deletes every object and says how many, also when DynamoDB leaves
// items unprocessed for a while (they are retried).
func TestDeleteAll(t *testing.T) {
	for _, tc := range []struct {
		n   int
		api func(store.API) store.API
	}{
		{0, nil}, {1, nil}, {33, nil}, {250, nil},
		{60, func(c store.API) store.API { return &unprocessed{API: c, times: 3} }}, // three batches
	} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			_, c, table := newStore(t, "uuid")
			testutil.Seed(t, c, table, "uuid", tc.n, 0)
			api := store.API(c)
			if tc.api != nil {
				api = tc.api(c)
			}
			s := store.New(api, cfg(table, "uuid"))
			deleted, err := s.DeleteAll(context.Background())
			if err != nil || deleted != tc.n {
				t.Fatalf("DeleteAll = %d, %v; want %d, nil", deleted, err, tc.n)
			}
			if left := testutil.ScanAll(t, s); len(left) != 0 {
				t.Fatalf("%d objects left after DeleteAll", len(left))
			}
		})
	}
}

// TestConcurrentDeleteAllCountsEachObjectOnce: two DeleteAll calls on the same n objects
// report at most n in total, and together delete them all.
func TestConcurrentDeleteAllCountsEachObjectOnce(t *testing.T) {
	const n = 300
	_, c, table := newStore(t, "uuid")
	testutil.Seed(t, c, table, "uuid", n, 0)
	s := store.New(c, cfg(table, "uuid"))
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if counts[i], err = s.DeleteAll(context.Background()); err != nil {
				t.Errorf("DeleteAll %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if sum := counts[0] + counts[1]; sum != n {
		t.Fatalf("the two calls reported %d + %d = %d deleted; %d objects existed", counts[0], counts[1], sum, n)
	}
	if left := testutil.ScanAll(t, s); len(left) != 0 {
		t.Fatalf("%d objects left", len(left))
	}
}

// failingDeletes answers every BatchWriteItem after the first ok ones with a retryable error;
// when applied, only after applying the call, as when DynamoDB's answer is lost or is a 500.
type failingDeletes struct {
	store.API
	ok      int64
	applied bool
	calls   atomic.Int64
}

func (f *failingDeletes) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	if f.calls.Add(1) <= f.ok {
		return f.API.BatchWriteItem(ctx, in, o...)
	}
	if !f.applied {
		return nil, &types.ProvisionedThroughputExceededException{Message: aws.String("injected")}
	}
	if _, err := f.API.BatchWriteItem(ctx, in, o...); err != nil {
		return nil, err
	}
	return nil, &types.InternalServerError{Message: aws.String("injected after applying the call")}
}

// unprocessed hands back the last item of every BatchWriteItem call as UnprocessedItems, for
// the first times calls (or always when times is negative), as DynamoDB does when it throttles.
type unprocessed struct {
	store.API
	times int64
	calls atomic.Int64
}

func (u *unprocessed) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	if u.times >= 0 && u.calls.Add(1) > u.times {
		return u.API.BatchWriteItem(ctx, in, o...)
	}
	kept := make(map[string][]types.WriteRequest)
	for table, reqs := range in.RequestItems {
		last := len(reqs) - 1
		if last > 0 {
			if _, err := u.API.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs[:last]}}, o...); err != nil {
				return nil, err
			}
		}
		kept[table] = reqs[last:]
	}
	return &dynamodb.BatchWriteItemOutput{UnprocessedItems: kept}, nil
}

// TestDeleteAllStopsAndSaysHowMany: when DynamoDB fails, keeps items unprocessed, or the
// context ends, DeleteAll stops and its error says truthfully how many objects it deleted, never
// more than are gone (exactly as many, unless a call was applied and its answer lost); it never
// claims success.
func TestDeleteAllStopsAndSaysHowMany(t *testing.T) {
	const n = 200
	for _, tc := range []struct {
		name  string
		api   func(c store.API, cancel func()) store.API
		exact bool
	}{
		{"BatchWriteItem fails", func(c store.API, _ func()) store.API { return &failingDeletes{API: c, ok: 2} }, true},
		{"items stay unprocessed", func(c store.API, _ func()) store.API { return &unprocessed{API: c, times: -1} }, true},
		{"context ends", func(c store.API, cancel func()) store.API { return &cancelAfter{API: c, n: 2, cancel: cancel} }, true},
		{"BatchWriteItem applied but failed", func(c store.API, _ func()) store.API { return &failingDeletes{API: c, ok: 2, applied: true} }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c, table := newStore(t, "uuid")
			testutil.Seed(t, c, table, "uuid", n, 0)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s := store.New(tc.api(c, cancel), cfg(table, "uuid"))
			s.ShortenRetry()
			deleted, err := s.DeleteAll(ctx)
			gone := n - len(testutil.ScanAll(t, store.New(c, cfg(table, "uuid"))))
			wantPartial(t, err, deleted, gone, n, tc.exact)
			if !tc.exact && deleted == gone {
				t.Fatalf("%d deleted and %d gone: no applied call went uncounted, so the test proved nothing", deleted, gone)
			}
		})
	}
}

// cancelAfter cancels the caller's context once n BatchWriteItem calls have succeeded. It sends
// every call with a context that is never cancelled: dynalite 4 crashes (an unhandled
// "aborted" error) when a client abandons a request in flight, which would take down the
// backend the other tests share.
type cancelAfter struct {
	store.API
	n      int64
	done   atomic.Int64
	cancel func()
}

func (c *cancelAfter) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	out, err := c.API.BatchWriteItem(context.WithoutCancel(ctx), in, o...)
	if err == nil && c.done.Add(1) == c.n {
		c.cancel()
	}
	return out, err
}

func wantPartial(t *testing.T, err error, deleted, gone, total int, exact bool) {
	t.Helper()
	var se *store.Error
	if !errors.As(err, &se) || se.Kind != store.Unavailable {
		t.Fatalf("DeleteAll error %v; want an Unavailable store.Error", err)
	}
	if !strings.Contains(se.Msg, fmt.Sprintf("at least %d objects were deleted", deleted)) {
		t.Fatalf("DeleteAll returned %d but its error says %q", deleted, se.Msg)
	}
	if deleted > gone || (exact && deleted != gone) || deleted == 0 {
		t.Fatalf("DeleteAll says %d deleted; %d objects are gone", deleted, gone)
	}
	if gone == 0 || gone == total {
		t.Fatalf("%d objects gone: the failure did not come mid-way", gone)
	}
}

// TestErrorsNameTheCause: each failure is classified, and its message (what a client reads)
// says what failed and what to do in terms of DynamoDB and the service, never carrying the
// table's name, the endpoint or the SDK's text; the log line (Error) has the table's name.
func TestErrorsNameTheCause(t *testing.T) {
	ep := testutil.Endpoint(t)
	c := testutil.Client(t, ep)
	ctx := context.Background()
	_, _, table := newStore(t, "uuid")
	tests := []struct {
		name   string
		call   func(*store.Store) error
		s      *store.Store
		kind   store.Kind
		msg    string
		logged string // what the log text (Error) must also say
	}{
		{"missing table", put, store.New(c, cfg("no-such-table", "uuid")), store.Unavailable,
			"the service's DynamoDB table does not exist", `"no-such-table"`},
		{"readyz on a missing table", ready, store.New(c, cfg("no-such-table", "uuid")), store.Unavailable, "does not exist", `"no-such-table"`},
		{"unreachable", get, store.New(testutil.Client(t, "http://127.0.0.1:1"), cfg("objects", "uuid")),
			store.Unavailable, "DynamoDB is unreachable", "127.0.0.1:1"},
		{"wrong hash key, Put", put, store.New(c, cfg(table, "id")), store.Rejected, "DynamoDB rejected the request", ""},
		{"wrong hash key, Ready", ready, store.New(c, cfg(table, "id")), store.Rejected, "hash key is not the attribute", table},
		{"wrong hash key, Scan", list, store.New(c, cfg(table, "id")), store.Rejected, "no key attribute", table},
	}
	if _, err := store.New(c, cfg(table, "uuid")).Put(ctx, object.Object{UUID: uuid.NewString(), TS: "x"}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := tt.call(tt.s)
			var se *store.Error
			if !errors.As(err, &se) || se.Kind != tt.kind || !strings.Contains(se.Msg, tt.msg) {
				t.Fatalf("%v; want kind %d with a message containing %q", err, tt.kind, tt.msg)
			}
			for _, internal := range []string{tt.s.Table(), "127.0.0.1", "dial", "Exception", "make up", "compose", "localkey"} {
				if strings.Contains(se.Msg, internal) {
					t.Fatalf("the message carries %q: %q", internal, se.Msg)
				}
			}
			if !strings.Contains(se.Error(), tt.logged) {
				t.Fatalf("the log text %q does not say %q", se.Error(), tt.logged)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("took %s; bounded retries should fail fast", d)
			}
		})
	}
}

func put(s *store.Store) error {
	_, err := s.Put(context.Background(), object.Object{UUID: uuid.NewString(), TS: "x"})
	return err
}
func get(s *store.Store) error   { _, err := s.Get(context.Background(), uuid.NewString()); return err }
func ready(s *store.Store) error { return s.Ready(context.Background()) }
func list(s *store.Store) error {
	_, err := s.Scan().Next(context.Background(), nil)
	return err
}

// TestMissingCredentialsRecognised: with no credentials anywhere, the failure is recognised by
// type and says so, whether DynamoDB is local (no instance metadata probed) or AWS.
func TestMissingCredentialsRecognised(t *testing.T) {
	ep := testutil.Endpoint(t)
	_, _, table := newStore(t, "uuid")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true") // also for the AWS case: no IMDS probe here
	for _, endpoint := range []string{ep, ""} {
		anon, err := store.NewClient(context.Background(), testutil.Region, endpoint)
		if err != nil {
			t.Fatal(err)
		}
		err = get(store.New(anon, cfg(table, "uuid")))
		var ce *store.CredentialsError
		var se *store.Error
		if !errors.As(err, &ce) || !errors.As(err, &se) || !strings.Contains(se.Msg, "no AWS credentials") {
			t.Fatalf("endpoint %q: %v; want a CredentialsError and a message saying there are no AWS credentials", endpoint, err)
		}
	}
}
