// Package store keeps objects in a DynamoDB table: one item per object, in the item form
// object.Object.Item gives it (the UUID in the table's hash-key attribute).
package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/acme/objects-api/src/object"
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

// Store reads and writes objects in one table. It is safe for concurrent use.
type Store struct {
	api API
	cfg Config
	// deleting holds DeleteAll's turn: one at a time per Store (see DeleteAll).
	deleting chan struct{}
	retry    backoff
}

// Config says which table a Store uses and how it is reached.
type Config struct {
	Table   string // DDB_TABLE_NAME
	HashKey string // DDB_HASH_KEY_NAME: the table's hash-key attribute
	// Timeout bounds every DynamoDB call, the SDK's retries included (DDB_TIMEOUT).
	Timeout time.Duration
}

// New returns a Store on api for cfg.
func New(api API, cfg Config) *Store {
	return &Store{api: api, cfg: cfg, deleting: make(chan struct{}, 1), retry: unprocessedBackoff}
}

// Put stores o, replacing any object with its id. created reports whether no object had that
// id before (PutItem's ALL_OLD return values).
func (s *Store) Put(ctx context.Context, o object.Object) (created bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	out, err := s.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:    &s.cfg.Table,
		Item:         o.Item(s.cfg.HashKey),
		ReturnValues: types.ReturnValueAllOld,
	})
	if err != nil {
		return false, s.wrap("PutItem", err)
	}
	return len(out.Attributes) == 0, nil
}

// Get returns the object id. The error is ErrNotFound when there is none.
func (s *Store) Get(ctx context.Context, id string) (object.Object, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	out, err := s.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      &s.cfg.Table,
		Key:            s.key(id),
		ConsistentRead: aws.Bool(true), // a GET right after a PUT sees it
	})
	if err != nil {
		return object.Object{}, s.wrap("GetItem", err)
	}
	if out.Item == nil {
		return object.Object{}, ErrNotFound
	}
	return s.object(out.Item)
}

// Delete removes the object id. The error is ErrNotFound when there was none.
func (s *Store) Delete(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	out, err := s.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:    &s.cfg.Table,
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
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	out, err := s.api.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &s.cfg.Table})
	if err != nil {
		return s.wrap("DescribeTable", err)
	}
	if st := out.Table.TableStatus; st != types.TableStatusActive {
		return &Error{Kind: Unavailable, Op: "DescribeTable", Msg: "the table is " + string(st) + ", not ACTIVE yet; retry shortly",
			Err: fmt.Errorf("table %q is %s", s.cfg.Table, st)}
	}
	for _, k := range out.Table.KeySchema {
		if k.KeyType == types.KeyTypeHash && aws.ToString(k.AttributeName) != s.cfg.HashKey {
			return &Error{Kind: Rejected, Op: "DescribeTable",
				Msg: "the table's hash key is not the attribute this service is configured with; fix the service's configuration",
				Err: fmt.Errorf("table %q's hash key is %q but DDB_HASH_KEY_NAME is %q", s.cfg.Table, aws.ToString(k.AttributeName), s.cfg.HashKey)}
		}
	}
	return nil
}

// Table is the table's name.
func (s *Store) Table() string { return s.cfg.Table }

func (s *Store) key(id string) map[string]types.AttributeValue {
	return object.Key(s.cfg.HashKey, id)
}

// object reads an item; an item without the hash-key attribute means DDB_HASH_KEY_NAME is
// not the table's hash key (every item of a table has its key).
func (s *Store) object(item map[string]types.AttributeValue) (object.Object, error) {
	o, ok := object.FromItem(item, s.cfg.HashKey)
	if !ok {
		return o, s.wrongKey()
	}
	return o, nil
}

func (s *Store) wrongKey() error {
	return &Error{Kind: Rejected, Op: "Scan",
		Msg: "the table's items have no key attribute of the name this service is configured with; fix the service's configuration",
		Err: fmt.Errorf("table %q's items have no string attribute %q: DDB_HASH_KEY_NAME does not match the table's hash key", s.cfg.Table, s.cfg.HashKey)}
}
