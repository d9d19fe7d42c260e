package store

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// NewClient builds a DynamoDB client for region. endpoint, when set, is the base endpoint
// (DynamoDB Local, dynalite); empty means the SDK's normal resolution for the region (real AWS).
// Credentials come from the SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY locally).
// Retries are bounded (3 attempts, at most 200 ms apart) so a backend fault fails fast.
func NewClient(ctx context.Context, region, endpoint string) (*dynamodb.Client, error) {
	httpClient := awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = time.Second }).
		WithTransportOptions(func(t *http.Transport) {
			// The default keeps 10 idle connections per host; a busy API opens and closes
			// connections without end under more concurrent requests than that.
			t.MaxIdleConns = 256
			t.MaxIdleConnsPerHost = 256
		})
	opts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithHTTPClient(httpClient),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.MaxBackoff = 200 * time.Millisecond
				// No client-side retry quota: once exhausted it fails requests with a
				// confusing "retry quota exceeded" long after the backend has recovered.
				o.RateLimiter = ratelimit.None
			})
		}),
	}
	if endpoint != "" {
		// A local endpoint (DynamoDB Local, dynalite) has no instance metadata service: without
		// credentials in the environment, fail at once instead of probing IMDS for a second.
		opts = append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, err
	}
	if cfg.Credentials != nil {
		cfg.Credentials = typedCredentials{cfg.Credentials}
	}
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	}), nil
}

// typedCredentials marks the provider's failures as *CredentialsError: the SDK wraps them in
// plain fmt errors, which only their text would otherwise identify.
type typedCredentials struct{ aws.CredentialsProvider }

func (p typedCredentials) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := p.CredentialsProvider.Retrieve(ctx)
	if err != nil && ctx.Err() == nil {
		return c, &CredentialsError{Err: err}
	}
	return c, err
}
