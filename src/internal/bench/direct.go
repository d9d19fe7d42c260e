package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/object"
)

// The direct side: the same DynamoDB calls the API makes, from this process with the SDK.

func item(id string) map[string]types.AttributeValue {
	return object.Object{UUID: id, TS: object.TS(time.Now())}.Item(hashKey)
}

// scanAll walks the table and calls fn for each page's items: whole objects (the API's
// projection, for the list baseline) or only their keys.
func scanAll(ctx context.Context, c *dynamodb.Client, whole bool, fn func([]map[string]types.AttributeValue)) error {
	projection, names := object.Projection(hashKey)
	if !whole {
		projection, names = "#k", map[string]string{"#k": hashKey}
	}
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{
		TableName: aws.String(table), ProjectionExpression: aws.String(projection), ExpressionAttributeNames: names,
	})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("Scan: %w", err)
		}
		fn(out.Items)
	}
	return nil
}

// count is the number of items in the table.
func count(ctx context.Context, c *dynamodb.Client) (int, error) {
	n := 0
	err := scanAll(ctx, c, false, func(items []map[string]types.AttributeValue) { n += len(items) })
	return n, err
}

// deleteBatched is the direct baseline for DELETE /objects: Scan the keys page by page and
// BatchWriteItem them 25 at a time, one call after another.
func deleteBatched(ctx context.Context, c *dynamodb.Client) error {
	var failed error
	err := scanAll(ctx, c, false, func(items []map[string]types.AttributeValue) {
		reqs := make([]types.WriteRequest, len(items))
		for i, k := range items {
			reqs[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k}}
		}
		if failed == nil {
			failed = testutil.Write(ctx, c, table, reqs, 1)
		}
	})
	return errors.Join(err, failed)
}

// deleteOneByOne is the naive baseline: Scan the keys, then one DeleteItem at a time.
func deleteOneByOne(ctx context.Context, c *dynamodb.Client) error {
	var keys []map[string]types.AttributeValue
	if err := scanAll(ctx, c, false, func(items []map[string]types.AttributeValue) { keys = append(keys, items...) }); err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: k}); err != nil {
			return fmt.Errorf("DeleteItem: %w", err)
		}
	}
	return nil
}
