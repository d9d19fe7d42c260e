package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/acme/objects-api/src/object"
)

// TableAPI is what CreateTable calls. It is not part of API: the API never creates tables, so
// its IAM policy (derived from API) grants no CreateTable.
type TableAPI interface {
	CreateTable(context.Context, *dynamodb.CreateTableInput, ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	dynamodb.DescribeTableAPIClient
}

// ErrOtherKey is CreateTable's error for an existing table whose hash key is another attribute.
var ErrOtherKey = errors.New("the table exists with another hash key")

// TableInput is the table a Store expects: one hash key named hashKey (type object.KeyType), on-demand
// capacity. terraform/main.tf creates the same table in AWS; this is its definition for every
// other backend (the tests, the bench, `objects-data create-table`).
func TableInput(table, hashKey string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String(hashKey), AttributeType: object.KeyType}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String(hashKey), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}
}

// CreateTable creates TableInput(table, hashKey) unless a table of that name exists, and waits
// until it is ACTIVE; like `terraform apply`, it can be run again. An existing table whose hash
// key is another attribute is an error, since a Store on it would fail every request.
func CreateTable(ctx context.Context, c TableAPI, table, hashKey string) error {
	var inUse *types.ResourceInUseException
	if _, err := c.CreateTable(ctx, TableInput(table, hashKey)); err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("CreateTable %s: %w", table, err)
	}
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) {
		// Local backends create a table in milliseconds; the default 20 s first delay would
		// dominate every test that makes one.
		o.MinDelay = 50 * time.Millisecond
		o.MaxDelay = time.Second
	})
	out, err := w.WaitForOutput(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}, time.Minute)
	if err != nil {
		return fmt.Errorf("table %s not ACTIVE: %w", table, err)
	}
	for _, k := range out.Table.KeySchema {
		if k.KeyType == types.KeyTypeHash && aws.ToString(k.AttributeName) != hashKey {
			return fmt.Errorf("%w: table %s has hash key %q, not %q", ErrOtherKey, table, aws.ToString(k.AttributeName), hashKey)
		}
	}
	return nil
}
