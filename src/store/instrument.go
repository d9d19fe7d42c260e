package store

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"
)

// Observer is told of every DynamoDB call: the operation (e.g. "PutItem"), how long it took
// with the SDK's retries, and its error (nil on success).
type Observer func(op string, d time.Duration, err error)

// Instrument returns api with every call reported to obs.
func Instrument(api API, obs Observer) API { return &instrumented{api: api, obs: obs} }

// Outcome names an SDK error for a metric label: "ok", "timeout", "unreachable", or
// DynamoDB's error code (e.g. "ResourceNotFoundException").
func Outcome(err error) string {
	var api smithy.APIError
	var netErr net.Error
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &api):
		return api.ErrorCode()
	case errors.As(err, &netErr):
		return "unreachable"
	}
	return "error"
}

type instrumented struct {
	api API
	obs Observer
}

func observe[T any](obs Observer, op string, call func() (T, error)) (T, error) {
	start := time.Now()
	out, err := call()
	obs(op, time.Since(start), err)
	return out, err
}

func (i *instrumented) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return observe(i.obs, "PutItem", func() (*dynamodb.PutItemOutput, error) { return i.api.PutItem(ctx, in, o...) })
}

func (i *instrumented) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return observe(i.obs, "GetItem", func() (*dynamodb.GetItemOutput, error) { return i.api.GetItem(ctx, in, o...) })
}

func (i *instrumented) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	return observe(i.obs, "DeleteItem", func() (*dynamodb.DeleteItemOutput, error) { return i.api.DeleteItem(ctx, in, o...) })
}

func (i *instrumented) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	return observe(i.obs, "BatchWriteItem", func() (*dynamodb.BatchWriteItemOutput, error) { return i.api.BatchWriteItem(ctx, in, o...) })
}

func (i *instrumented) DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, o ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	return observe(i.obs, "DescribeTable", func() (*dynamodb.DescribeTableOutput, error) { return i.api.DescribeTable(ctx, in, o...) })
}

func (i *instrumented) Scan(ctx context.Context, in *dynamodb.ScanInput, o ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	return observe(i.obs, "Scan", func() (*dynamodb.ScanOutput, error) { return i.api.Scan(ctx, in, o...) })
}
