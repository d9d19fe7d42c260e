package testutil

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/acme/objects-api/src/object"
	"github.com/acme/objects-api/src/store"
)

// Region and the dummy credentials the tests use; DynamoDB Local 2.x wants alphanumeric keys.
const (
	Region    = "us-east-1"
	AccessKey = "localkey"
	SecretKey = "localsecret"
)

// ScanAll is every object of s's table, read page by page with the store's own Scan.
func ScanAll(t testing.TB, s *store.Store) []object.Object {
	t.Helper()
	var all, page []object.Object
	for p := s.Scan(); p.More(); {
		var err error
		if page, err = p.Next(context.Background(), page); err != nil {
			t.Fatalf("Scan page: %v", err)
		}
		all = append(all, page...)
	}
	return all
}

// Client returns a DynamoDB client for endpoint with the dummy credentials.
func Client(t testing.TB, endpoint string) *dynamodb.Client {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", SecretKey)
	c, err := store.NewClient(ctx(t), Region, endpoint)
	if err != nil {
		t.Fatalf("DynamoDB client: %v", err)
	}
	return c
}

var tableSeq atomic.Int64

// CreateTable creates an empty table with hash key hashKey (store.TableInput) and waits until it is
// ACTIVE. The name is unique, so tests sharing one server never see each other's items; the
// table is deleted when the test ends.
func CreateTable(t testing.TB, c *dynamodb.Client, hashKey string) string {
	t.Helper()
	name := fmt.Sprintf("test-%d-%d", time.Now().UnixNano(), tableSeq.Add(1))
	CreateNamedTable(t, c, name, hashKey)
	return name
}

// CreateNamedTable creates table name as the Store expects it (store.TableInput), waits until it
// is ACTIVE, and deletes it when the test ends.
func CreateNamedTable(t testing.TB, c *dynamodb.Client, name, hashKey string) {
	t.Helper()
	if err := store.CreateTable(ctx(t), c, name, hashKey); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c2, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _ = c.DeleteTable(c2, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
}

// Seed writes n objects directly (not through the API), each padded with pad bytes in an
// extra attribute, and returns their ids.
func Seed(t *testing.T, c *dynamodb.Client, table, hashKey string, n, pad int) map[string]bool {
	t.Helper()
	list, err := SeedIDs(ctx(t), c, table, hashKey, n, pad)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	ids := make(map[string]bool, n)
	for _, id := range list {
		ids[id] = true
	}
	return ids
}

// SeedIDs is Seed for callers without a test (the bench harness), with the ids in order.
func SeedIDs(ctx context.Context, c *dynamodb.Client, table, hashKey string, n, pad int) ([]string, error) {
	ids := make([]string, n)
	reqs := make([]types.WriteRequest, n)
	for i := range reqs {
		ids[i] = uuid.NewString()
		item := object.Object{UUID: ids[i], TS: "2022-08-25T12:06:56.563581"}.Item(hashKey)
		if pad > 0 {
			item["pad"] = &types.AttributeValueMemberS{Value: strings.Repeat("x", pad)}
		}
		reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: item}}
	}
	if err := Write(ctx, c, table, reqs, 4); err != nil {
		return nil, fmt.Errorf("seeding %d items: %w", n, err)
	}
	return ids, nil
}

// Write sends reqs with BatchWriteItem, 25 a call and up to writers calls at once, retrying each
// call's UnprocessedItems (20 attempts, 10 ms more between each).
func Write(ctx context.Context, c *dynamodb.Client, table string, reqs []types.WriteRequest, writers int) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(writers)
	for i := 0; i < len(reqs); i += 25 {
		todo := reqs[i:min(i+25, len(reqs))]
		g.Go(func() error {
			for attempt := 0; len(todo) > 0; attempt++ {
				if attempt == 20 {
					return fmt.Errorf("BatchWriteItem: %d requests unprocessed after 20 attempts", len(todo))
				}
				time.Sleep(time.Duration(attempt) * 10 * time.Millisecond)
				out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: todo}})
				if err != nil {
					return err
				}
				todo = out.UnprocessedItems[table]
			}
			return nil
		})
	}
	return g.Wait()
}
