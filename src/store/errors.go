package store

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// ErrNotFound means no object has the requested id.
var ErrNotFound = errors.New("object not found")

// Kind classifies a backend failure for the HTTP layer.
type Kind int

const (
	// Unavailable: DynamoDB cannot serve the request now (unreachable, table missing or not
	// active, throttled, no credentials). Retrying later may succeed.
	Unavailable Kind = iota + 1
	// Timeout: DynamoDB did not answer within the configured timeout (DDB_TIMEOUT).
	Timeout
	// Rejected: DynamoDB refused the request (a hash-key name that does not match the table's
	// key schema, credentials it does not accept); retrying will not help.
	Rejected
)

// Error is a failed DynamoDB call. Msg is for the client: what failed and what to do, with no
// table name, endpoint, dial error or SDK text; those are in Err, which Error() includes, for
// the log.
type Error struct {
	Kind Kind
	Op   string // the DynamoDB operation, e.g. "PutItem"
	Msg  string
	Err  error // the cause, if any
}

// Error is the whole story, for the log line.
func (e *Error) Error() string {
	if e.Err == nil {
		return e.Op + ": " + e.Msg
	}
	return e.Op + ": " + e.Msg + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// CredentialsError is what the client's credentials provider fails with (see NewClient), so
// that a missing credential is recognised by type wherever the SDK wraps it.
type CredentialsError struct{ Err error }

func (e *CredentialsError) Error() string { return "AWS credentials: " + e.Err.Error() }

func (e *CredentialsError) Unwrap() error { return e.Err }

// Credential and permission failures DynamoDB reports by error code.
var authCodes = map[string]bool{
	"UnrecognizedClientException": true, "InvalidSignatureException": true, "ExpiredTokenException": true,
	"AccessDeniedException": true, "MissingAuthenticationTokenException": true,
}

var busyCodes = map[string]bool{
	"ProvisionedThroughputExceededException": true, "RequestLimitExceeded": true, "ThrottlingException": true,
	"InternalServerError": true, "ServiceUnavailable": true, "LimitExceededException": true,
}

// wrap classifies an SDK error from operation op. The message speaks of DynamoDB and the
// service only: how to fix a particular setup is the README's (Troubleshooting), and the table's
// name goes to the log, with the SDK's text, through Err.
func (s *Store) wrap(op string, err error) error {
	var rnf *types.ResourceNotFoundException
	var creds *CredentialsError
	var netErr net.Error
	var api smithy.APIError
	e := &Error{Kind: Unavailable, Op: op, Err: err}
	switch {
	case errors.As(err, &creds):
		e.Msg = "the service has no AWS credentials to call DynamoDB with"
	case errors.As(err, &rnf):
		e.Msg = "the service's DynamoDB table does not exist; retry once it is created"
		e.Err = fmt.Errorf("table %q: %w", s.cfg.Table, err)
	case errors.Is(err, context.DeadlineExceeded):
		e.Kind, e.Msg = Timeout, fmt.Sprintf("DynamoDB did not answer within %s; retry later", s.cfg.Timeout)
	case errors.As(err, &api) && authCodes[api.ErrorCode()]:
		e.Kind, e.Msg = Rejected, "DynamoDB refused the service's AWS credentials or their permissions (IAM) on the table"
	case errors.As(err, &api) && busyCodes[api.ErrorCode()]:
		e.Msg = "DynamoDB is busy (throttling); retry later"
	case errors.As(err, &api):
		e.Kind, e.Msg = Rejected, "DynamoDB rejected the request; the service's configuration may not match the table"
	case errors.As(err, &netErr):
		e.Msg = "DynamoDB is unreachable; retry later"
	default:
		e.Msg = "the DynamoDB call failed; retry later"
	}
	return e
}
