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

	"github.com/acme/objects-api/src/store"
)

// Region and the dummy credentials the tests use; DynamoDB Local 2.x wants alphanumeric keys.
const (
	Region    = "us-east-1"
	AccessKey = "localkey"
	SecretKey = "localsecret"
)

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

// CreateTable creates an empty table with hash key hashKey (type S) and waits until it is
// ACTIVE. The name is unique, so tests sharing one server never see each other's items; the
// table is deleted when the test ends.
func CreateTable(t testing.TB, c *dynamodb.Client, hashKey string) string {
	t.Helper()
	name := fmt.Sprintf("test-%d-%d", time.Now().UnixNano(), tableSeq.Add(1))
	CreateNamedTable(t, c, name, hashKey)
	return name
}

// CreateNamedTable creates table name with hash key hashKey (type S), waits until it is ACTIVE,
// and deletes it when the test ends.
func CreateNamedTable(t testing.TB, c *dynamodb.Client, name, hashKey string) {
	t.Helper()
	_, err := c.CreateTable(ctx(t), &dynamodb.CreateTableInput{
		TableName:            &name,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: &hashKey, AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: &hashKey, KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("CreateTable %s: %v", name, err)
	}
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 50 * time.Millisecond
		o.MaxDelay = 200 * time.Millisecond
	})
	if err := w.Wait(ctx(t), &dynamodb.DescribeTableInput{TableName: &name}, 30*time.Second); err != nil {
		t.Fatalf("table %s not ACTIVE: %v", name, err)
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
