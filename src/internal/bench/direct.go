package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/object"
)

// The direct side: the same DynamoDB calls the API makes, from this process with the SDK.

func item(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		hashKey: &types.AttributeValueMemberS{Value: id},
		"ts":    &types.AttributeValueMemberS{Value: object.TS(time.Now())},
	}
}

// seed writes n new items with BatchWriteItem (4 calls at once) and returns their ids.
func seed(ctx context.Context, c *dynamodb.Client, n int) ([]string, error) {
	ids := make([]string, n)
	reqs := make([]types.WriteRequest, n)
	for i := range ids {
		ids[i] = uuid.NewString()
		reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: item(ids[i])}}
	}
	if err := testutil.Write(ctx, c, table, reqs, 4); err != nil {
		return nil, fmt.Errorf("seeding %d items: %w", n, err)
	}
	return ids, nil
}

// scanAll walks the table with the API's projection and calls fn for each page's items.
func scanAll(ctx context.Context, c *dynamodb.Client, projection string, fn func([]map[string]types.AttributeValue)) error {
	names := map[string]string{"#k": hashKey}
	if projection == "#k, #t" {
		names["#t"] = "ts"
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
	err := scanAll(ctx, c, "#k", func(items []map[string]types.AttributeValue) { n += len(items) })
	return n, err
}

// deleteBatched is the direct baseline for DELETE /objects: Scan the keys page by page and
// BatchWriteItem them 25 at a time, one call after another.
func deleteBatched(ctx context.Context, c *dynamodb.Client) error {
	var failed error
	err := scanAll(ctx, c, "#k", func(items []map[string]types.AttributeValue) {
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
	if err := scanAll(ctx, c, "#k", func(items []map[string]types.AttributeValue) { keys = append(keys, items...) }); err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: k}); err != nil {
			return fmt.Errorf("DeleteItem: %w", err)
		}
	}
	return nil
}
