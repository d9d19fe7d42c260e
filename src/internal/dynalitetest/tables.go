package dynalitetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

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
