package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// ErrNotFound means no object has the requested id.
var ErrNotFound = errors.New("object not found")

// Kind classifies a backend failure for the HTTP layer.
type Kind int

const (
	// Unavailable: DynamoDB cannot serve the request now (unreachable, table missing or not
	// active, throttled, UnprocessedItems left after retries). Retrying later may succeed.
	Unavailable Kind = iota + 1
	// Timeout: DynamoDB did not answer within the configured timeout (DDB_TIMEOUT).
	Timeout
	// Rejected: DynamoDB refused the request (for example a hash-key name that does not match
	// the table's key schema); retrying will not help.
	Rejected
)

// Error is a failed DynamoDB call. Msg is written for the person reading the HTTP response.
type Error struct {
	Kind Kind
	Op   string // the DynamoDB operation, e.g. "PutItem"
	Msg  string
	Err  error // the SDK's error, if any
}

func (e *Error) Error() string { return e.Op + ": " + e.Msg }

func (e *Error) Unwrap() error { return e.Err }

// wrap classifies an SDK error from operation op.
func (s *Store) wrap(op string, err error) error {
	var rnf *types.ResourceNotFoundException
	var netErr net.Error
	var api smithy.APIError
	where := s.endpoint
	if where == "" {
		where = "AWS"
	}
	switch {
	case errors.As(err, &rnf):
		return &Error{Kind: Unavailable, Op: op, Err: err, Msg: fmt.Sprintf(
			"table %q does not exist at %s; the terraform job creates it (in the compose stack: "+
				"docker compose up terraform, or make up-offline without a registry; elsewhere: terraform/README.md)", s.table, where)}
	case strings.Contains(err.Error(), "get credentials"):
		return &Error{Kind: Unavailable, Op: op, Err: err, Msg: "no AWS credentials found: set AWS_ACCESS_KEY_ID and " +
			"AWS_SECRET_ACCESS_KEY (alphanumeric dummies such as localkey/localsecret for DynamoDB Local), or another source of the SDK's default chain"}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Kind: Timeout, Op: op, Err: err, Msg: fmt.Sprintf(
			"DynamoDB at %s did not answer within %s (DDB_TIMEOUT)", where, s.timeout)}
	case errors.As(err, &api):
		switch api.ErrorCode() {
		case "ProvisionedThroughputExceededException", "RequestLimitExceeded", "ThrottlingException",
			"InternalServerError", "ServiceUnavailable", "LimitExceededException":
			return &Error{Kind: Unavailable, Op: op, Err: err, Msg: "DynamoDB is busy: " + api.ErrorCode() + ": " + api.ErrorMessage()}
		}
		return &Error{Kind: Rejected, Op: op, Err: err, Msg: "DynamoDB rejected the request: " + api.ErrorCode() + ": " + api.ErrorMessage()}
	case errors.As(err, &netErr):
		return &Error{Kind: Unavailable, Op: op, Err: err, Msg: fmt.Sprintf("DynamoDB at %s is unreachable: %v", where, netErr)}
	}
	return &Error{Kind: Unavailable, Op: op, Err: err, Msg: fmt.Sprintf("DynamoDB at %s failed: %v", where, err)}
}
