package faultproxy_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/acme/objects-api/src/internal/dynalitetest"
	"github.com/acme/objects-api/src/internal/faultproxy"
)

func TestMain(m *testing.M) { os.Exit(dynalitetest.Run(m)) }

func item(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"uuid": &types.AttributeValueMemberS{Value: id}}
}

// TestFaults drives each fault through the real SDK client against dynalite.
func TestFaults(t *testing.T) {
	ep := dynalitetest.Endpoint(t)
	direct := dynalitetest.Client(t, ep)
	table := dynalitetest.CreateTable(t, direct, "uuid")
	p := faultproxy.Start(t, ep)
	c := dynalitetest.Client(t, p.URL())
	ctx := context.Background()
	put := func(ctx context.Context, id string) error {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: item(id)})
		return err
	}
	exists := func(id string) bool {
		out, err := direct.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: item(id), ConsistentRead: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		return out.Item != nil
	}

	if err := put(ctx, "a"); err != nil || !exists("a") || p.Calls("PutItem") != 1 {
		t.Fatalf("forwarding: %v, exists %v, %d calls", err, exists("a"), p.Calls("PutItem"))
	}

	p.Down()
	if err := put(ctx, "b"); err == nil {
		t.Fatal("PutItem succeeded while the proxy was down")
	}
	if err := p.Up(); err != nil {
		t.Fatal(err)
	}
	if err := put(ctx, "b"); err != nil {
		t.Fatalf("PutItem after Up: %v", err)
	}

	p.SetDelay(3 * time.Second)
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	err := put(short, "c")
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("PutItem through a 3s delay with a 300ms deadline: %v", err)
	}
	p.SetDelay(0)
	time.Sleep(100 * time.Millisecond)
	if exists("c") {
		t.Fatal("a request whose client gave up during the delay was forwarded")
	}

	p.AbortAfter("GetItem", 0)
	if _, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: item("a")}); err == nil {
		t.Fatal("GetItem succeeded although the proxy drops it")
	}
	if err := put(ctx, "d"); err != nil {
		t.Fatalf("PutItem while only GetItem is dropped: %v", err)
	}
	p.AbortAfter("GetItem", -1)

	p.HoldBack(func(call, n int) int { return 1 })
	out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: {
		{PutRequest: &types.PutRequest{Item: item("e1")}},
		{PutRequest: &types.PutRequest{Item: item("e2")}},
		{PutRequest: &types.PutRequest{Item: item("e3")}},
	}}})
	if err != nil {
		t.Fatalf("BatchWriteItem with one request held back: %v", err)
	}
	left := out.UnprocessedItems[table]
	if len(left) != 1 || !exists("e1") || !exists("e2") || exists("e3") {
		t.Fatalf("%d unprocessed; e1 %v e2 %v e3 %v; want e3 alone held back and unwritten", len(left), exists("e1"), exists("e2"), exists("e3"))
	}
	p.Close()
	p.Close() // idempotent
}
