package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
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
	// active, throttled, no credentials). Retrying later may succeed.
	Unavailable Kind = iota + 1
	// Timeout: DynamoDB did not answer within the configured timeout (DDB_TIMEOUT).
	Timeout
	// Rejected: DynamoDB refused the request (a hash-key name that does not match the table's
	// key schema, credentials it does not accept); retrying will not help.
	Rejected
)

// Error is a failed DynamoDB call. Msg is for the client: what failed and what to do, with no
// endpoint, dial error or SDK text; those are in Err, which Error() includes, for the log.
type Error struct {
	Kind    Kind
	Op      string // the DynamoDB operation, e.g. "PutItem"
	Msg     string
	Err     error // the cause, if any
	Deleted int   // for DeleteAll: objects deleted before the failure
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

// Local reports whether endpoint is a local DynamoDB (DynamoDB Local, dynalite) rather than
// AWS: its host is loopback, or a single-label name such as a compose service ("dynamodb").
// Only then do error messages point at the local stack.
func Local(endpoint string) bool {
	if endpoint == "" {
		return false
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	return host == "localhost" || (host != "" && !strings.Contains(host, "."))
}

// Credential and permission failures DynamoDB reports by error code.
var authCodes = map[string]bool{
	"UnrecognizedClientException": true, "InvalidSignatureException": true, "ExpiredTokenException": true,
	"AccessDeniedException": true, "MissingAuthenticationTokenException": true,
}

var busyCodes = map[string]bool{
	"ProvisionedThroughputExceededException": true, "RequestLimitExceeded": true, "ThrottlingException": true,
	"InternalServerError": true, "ServiceUnavailable": true, "LimitExceededException": true,
}

// wrap classifies an SDK error from operation op.
func (s *Store) wrap(op string, err error) error {
	var rnf *types.ResourceNotFoundException
	var creds *CredentialsError
	var netErr net.Error
	var api smithy.APIError
	e := &Error{Kind: Unavailable, Op: op, Err: err}
	local := Local(s.cfg.Endpoint)
	switch {
	case errors.As(err, &creds):
		e.Msg = "the service has no AWS credentials"
		if local {
			e.Msg += "; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (dummies such as localkey/localsecret for a local DynamoDB)"
		} else {
			e.Msg += "; give it an IAM role (the ECS task role) or another source of the AWS SDK's default chain"
		}
	case errors.As(err, &rnf):
		if local {
			e.Msg = fmt.Sprintf("table %q does not exist in the local DynamoDB; the compose stack's terraform job creates it (make up, or docker compose up terraform)", s.cfg.Table)
		} else {
			e.Msg = fmt.Sprintf("table %q does not exist in region %s; create it (terraform/README.md) or point the service at the right table and region", s.cfg.Table, s.cfg.Region)
		}
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
		if local {
			e.Msg += " (is the local DynamoDB running? make up starts it)"
		}
	default:
		e.Msg = "the DynamoDB call failed; retry later"
	}
	return e
}
