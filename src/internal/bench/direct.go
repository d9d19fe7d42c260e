package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/acme/objects-api/src/object"
)

// The direct side: the same DynamoDB calls the API makes, from this process with the SDK.

func item(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		hashKey: &types.AttributeValueMemberS{Value: id},
		"ts":    &types.AttributeValueMemberS{Value: object.TS(time.Now())},
	}
}

func createTable(ctx context.Context, c *dynamodb.Client) error {
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String(hashKey), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String(hashKey), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		return fmt.Errorf("CreateTable: %w", err)
	}
	return dynamodb.NewTableExistsWaiter(c).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}, 30*time.Second)
}

// seed writes n new items with BatchWriteItem (4 writers) and returns their ids.
func seed(ctx context.Context, c *dynamodb.Client, n int) ([]string, error) {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = uuid.NewString()
	}
	chunks := make(chan []string)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chunk := range chunks {
				reqs := make([]types.WriteRequest, len(chunk))
				for i, id := range chunk {
					reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: item(id)}}
				}
				if err := batchWrite(ctx, c, reqs); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := 0; i < n; i += 25 {
		chunks <- ids[i:min(i+25, n)]
	}
	close(chunks)
	wg.Wait()
	select {
	case err := <-errs:
		return nil, fmt.Errorf("seeding %d items: %w", n, err)
	default:
	}
	return ids, nil
}

// batchWrite sends up to 25 requests, retrying UnprocessedItems (bounded: 20 attempts).
func batchWrite(ctx context.Context, c *dynamodb.Client, reqs []types.WriteRequest) error {
	for attempt := 0; len(reqs) > 0; attempt++ {
		if attempt == 20 {
			return fmt.Errorf("BatchWriteItem: %d requests unprocessed after 20 attempts", len(reqs))
		}
		if attempt > 0 {
			time.Sleep(10 * time.Millisecond)
		}
		out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs}})
		if err != nil {
			return err
		}
		reqs = out.UnprocessedItems[table]
	}
	return nil
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
func deleteBatched(ctx context.Context, c *dynamodb.Client) (int, error) {
	deleted := 0
	var failed error
	err := scanAll(ctx, c, "#k", func(items []map[string]types.AttributeValue) {
		for i := 0; i < len(items) && failed == nil; i += 25 {
			chunk := items[i:min(i+25, len(items))]
			reqs := make([]types.WriteRequest, len(chunk))
			for j, k := range chunk {
				reqs[j] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k}}
			}
			if failed = batchWrite(ctx, c, reqs); failed == nil {
				deleted += len(chunk)
			}
		}
	})
	if err == nil {
		err = failed
	}
	return deleted, err
}

// deleteOneByOne is the naive baseline: Scan the keys, then one DeleteItem at a time.
func deleteOneByOne(ctx context.Context, c *dynamodb.Client) (int, error) {
	var keys []map[string]types.AttributeValue
	if err := scanAll(ctx, c, "#k", func(items []map[string]types.AttributeValue) { keys = append(keys, items...) }); err != nil {
		return 0, err
	}
	for i, k := range keys {
		if _, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: k}); err != nil {
			return i, fmt.Errorf("DeleteItem: %w", err)
		}
	}
	return len(keys), nil
}
