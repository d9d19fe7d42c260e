package store

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/acme/objects-api/src/object"
)

// Pages walks every object in the table one Scan page at a time (DynamoDB returns at most
// 1 MB per page), so a caller can stream a table of any size in bounded memory. It is an
// interface so that the HTTP layer's tests can list from an in-memory fake.
type Pages interface {
	// More reports whether another page remains.
	More() bool
	// Next reads the next page; dst is reused for the result when it has room.
	Next(ctx context.Context, dst []object.Object) ([]object.Object, error)
}

// scanPages is the Pages of a table Scan.
type scanPages struct {
	s *Store
	p *dynamodb.ScanPaginator
}

// Scan starts a walk of the whole table. No request is made until Next.
func (s *Store) Scan() Pages {
	return &scanPages{s: s, p: dynamodb.NewScanPaginator(s.api, s.scanInput())}
}

func (s *Store) scanInput() *dynamodb.ScanInput {
	expr, names := object.Projection(s.cfg.HashKey) // only the attributes the API returns
	return &dynamodb.ScanInput{
		TableName: &s.cfg.Table,
		// An object acknowledged just before is listed: DynamoDB's Scan is eventually
		// consistent by default.
		ConsistentRead:           aws.Bool(true),
		ProjectionExpression:     &expr,
		ExpressionAttributeNames: names,
	}
}

// More reports whether another page remains (LastEvaluatedKey was set, or no page was read yet).
func (p *scanPages) More() bool { return p.p.HasMorePages() }

// Next reads the next page. dst is reused for the result when it has room.
func (p *scanPages) Next(ctx context.Context, dst []object.Object) ([]object.Object, error) {
	ctx, cancel := context.WithTimeout(ctx, p.s.cfg.Timeout)
	defer cancel()
	out, err := p.p.NextPage(ctx)
	if err != nil {
		return dst[:0], p.s.wrap("Scan", err)
	}
	dst = dst[:0]
	for _, item := range out.Items {
		o, err := p.s.object(item)
		if err != nil {
			return dst[:0], err
		}
		dst = append(dst, o)
	}
	return dst, nil
}

// keyPages walks the table reading hash keys only, for DeleteAll.
func (s *Store) keyPages() *dynamodb.ScanPaginator {
	return dynamodb.NewScanPaginator(s.api, &dynamodb.ScanInput{
		TableName:                &s.cfg.Table,
		ConsistentRead:           aws.Bool(true), // every object acknowledged before is deleted
		ProjectionExpression:     aws.String("#k"),
		ExpressionAttributeNames: map[string]string{"#k": s.cfg.HashKey},
	})
}
