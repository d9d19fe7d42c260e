// Package store keeps objects in a DynamoDB table: one item per object, the object's UUID in the
// table's hash-key attribute (type S) and its write time in the string attribute "ts".
package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// API is the part of the DynamoDB client the store calls; *dynamodb.Client implements it.
// Tests wrap a real client in it to inject faults the test backend never produces.
type API interface {
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	dynamodb.ScanAPIClient
}

// tsAttr is the attribute holding an object's write time.
const tsAttr = "ts"

// Object is one stored object. TS is empty when the item has no string "ts" attribute
// (an item written by something other than this API).
type Object struct {
	UUID string
	TS   string
}

// Store reads and writes objects in one table. It is safe for concurrent use.
type Store struct {
	api      API
	table    string
	hashKey  string
	endpoint string
	timeout  time.Duration
	// retry paces BatchWriteItem's retries of UnprocessedItems.
	retry Backoff
}

// New returns a Store for table, whose hash key is hashKey. Every DynamoDB call is bounded by
// timeout; endpoint is only used in error messages ("" for AWS).
func New(api API, table, hashKey, endpoint string, timeout time.Duration) *Store {
	return &Store{api: api, table: table, hashKey: hashKey, endpoint: endpoint, timeout: timeout, retry: DefaultBackoff}
}

// Put stores the object id with write time ts, replacing any object with that id.
// created reports whether no object had that id before (PutItem's ALL_OLD return values).
func (s *Store) Put(ctx context.Context, id, ts string) (created bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := s.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table,
		// Two attributes: building the map by hand is cheaper than attributevalue's reflection.
		Item: map[string]types.AttributeValue{
			s.hashKey: &types.AttributeValueMemberS{Value: id},
			tsAttr:    &types.AttributeValueMemberS{Value: ts},
		},
		ReturnValues: types.ReturnValueAllOld,
	})
	if err != nil {
		return false, s.wrap("PutItem", err)
	}
	return len(out.Attributes) == 0, nil
}

// Get returns the object id. The error is ErrNotFound when there is none.
func (s *Store) Get(ctx context.Context, id string) (Object, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := s.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      &s.table,
		Key:            s.key(id),
		ConsistentRead: aws.Bool(true), // a GET right after a PUT sees it
	})
	if err != nil {
		return Object{}, s.wrap("GetItem", err)
	}
	if out.Item == nil {
		return Object{}, ErrNotFound
	}
	return s.object(out.Item), nil
}

// Delete removes the object id. The error is ErrNotFound when there was none.
func (s *Store) Delete(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := s.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:    &s.table,
		Key:          s.key(id),
		ReturnValues: types.ReturnValueAllOld,
	})
	if err != nil {
		return s.wrap("DeleteItem", err)
	}
	if len(out.Attributes) == 0 {
		return ErrNotFound
	}
	return nil
}

// Ready returns nil when the table exists and is ACTIVE, else an error saying why not.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := s.api.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &s.table})
	if err != nil {
		return s.wrap("DescribeTable", err)
	}
	if st := out.Table.TableStatus; st != types.TableStatusActive {
		return &Error{Kind: Unavailable, Op: "DescribeTable", Msg: "table " + s.table + " is " + string(st) + ", not ACTIVE yet"}
	}
	for _, k := range out.Table.KeySchema {
		if k.KeyType == types.KeyTypeHash && aws.ToString(k.AttributeName) != s.hashKey {
			return &Error{Kind: Rejected, Op: "DescribeTable", Msg: fmt.Sprintf(
				"table %s's hash key is %q but DDB_HASH_KEY_NAME is %q: set DDB_HASH_KEY_NAME to match",
				s.table, aws.ToString(k.AttributeName), s.hashKey)}
		}
	}
	return nil
}

// Table is the table's name.
func (s *Store) Table() string { return s.table }

func (s *Store) key(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{s.hashKey: &types.AttributeValueMemberS{Value: id}}
}

func (s *Store) object(item map[string]types.AttributeValue) Object {
	var o Object
	if v, ok := item[s.hashKey].(*types.AttributeValueMemberS); ok {
		o.UUID = v.Value
	}
	if v, ok := item[tsAttr].(*types.AttributeValueMemberS); ok {
		o.TS = v.Value
	}
	return o
}
