// Package config reads the API's settings from environment variables.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is the API's configuration, one field per environment variable.
type Config struct {
	// EndpointURL is DynamoDB's base endpoint, e.g. http://dynamodb:8000 for DynamoDB Local.
	// Empty means the SDK's normal endpoint resolution for AWS_REGION (real AWS).
	EndpointURL string `env:"DDB_ENDPOINT_URL"`
	// TableName is the DynamoDB table holding the objects.
	TableName string `env:"DDB_TABLE_NAME,required,notEmpty"`
	// HashKeyName is the table's hash-key attribute that holds an object's UUID.
	HashKeyName string `env:"DDB_HASH_KEY_NAME" envDefault:"uuid"`
	// Region is the AWS region; the SDK needs one even for DynamoDB Local.
	Region string `env:"AWS_REGION,required,notEmpty"`
	// Port is the TCP port the API listens on, on all interfaces.
	Port int `env:"PORT" envDefault:"8080"`
	// Timeout bounds every DynamoDB call, retries included.
	Timeout time.Duration `env:"DDB_TIMEOUT" envDefault:"3s"`
	// LogLevel is the least severe level logged: debug, info, warn or error.
	LogLevel slog.Level `env:"LOG_LEVEL" envDefault:"info"`
	// LogFormat is json (one JSON object per line) or text (logfmt-style key=value).
	LogFormat string `env:"LOG_FORMAT" envDefault:"json"`
	// DeleteAllEnabled switches DELETE /objects on; off, it answers 403 (shared environments).
	DeleteAllEnabled bool `env:"DELETE_ALL_ENABLED" envDefault:"true"`
	// DeleteAllTimeout bounds one DELETE /objects; past it, it stops and says how many it deleted.
	DeleteAllTimeout time.Duration `env:"DELETE_ALL_TIMEOUT" envDefault:"5m"`
	// ListMaxConcurrent bounds the GET /objects lists (full-table scans) running at once; past
	// it a list is refused with 503.
	ListMaxConcurrent int `env:"LIST_MAX_CONCURRENT" envDefault:"8"`
	// ReadyCacheTTL is how long GET /readyz reuses DynamoDB's answer (DescribeTable), so that
	// probes do not set that call's rate; 0 asks on every probe.
	ReadyCacheTTL time.Duration `env:"READY_CACHE_TTL" envDefault:"1s"`
}

// tableNameRE is DynamoDB's rule for table names (CreateTable API reference): 3 to 255 of a-z A-Z 0-9 _ - .
var tableNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`)

// Load reads the configuration from environ (name to value). The error, if any, names every
// variable that is missing or invalid, one per line.
func Load(environ map[string]string) (Config, error) {
	var cfg Config
	var problems []string
	if err := env.ParseWithOptions(&cfg, env.Options{Environment: environ}); err != nil {
		problems = append(problems, parseProblems(err)...)
	}
	for _, p := range cfg.validate() {
		if !namedIn(problems, p[:strings.IndexByte(p, ' ')]) { // one line per variable
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		return cfg, errors.New("invalid configuration:\n  " + strings.Join(problems, "\n  "))
	}
	return cfg, nil
}

func namedIn(problems []string, name string) bool {
	for _, p := range problems {
		if strings.HasPrefix(p, name) {
			return true
		}
	}
	return false
}

// parseProblems turns caarlos0/env's aggregate error into one line per variable.
func parseProblems(err error) []string {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return []string{err.Error()}
	}
	var out []string
	for _, e := range agg.Errors {
		var missing env.VarIsNotSetError
		var empty env.EmptyVarError
		var parse env.ParseError
		switch {
		case errors.As(e, &missing):
			out = append(out, missing.Key+" is required but not set")
		case errors.As(e, &empty):
			out = append(out, empty.Key+" is required but set to an empty value")
		case errors.As(e, &parse):
			out = append(out, fmt.Sprintf("%s: %v", envName(parse.Name), parse.Err))
		default:
			out = append(out, e.Error())
		}
	}
	return out
}

// envName maps a Config field name back to its variable for parse errors.
func envName(field string) string {
	switch field {
	case "Port":
		return "PORT (a port number, 1-65535)"
	case "Timeout":
		return "DDB_TIMEOUT (a Go duration such as 3s or 500ms)"
	case "LogLevel":
		return "LOG_LEVEL (debug, info, warn or error)"
	case "DeleteAllEnabled":
		return "DELETE_ALL_ENABLED (true or false)"
	case "DeleteAllTimeout":
		return "DELETE_ALL_TIMEOUT (a Go duration such as 5m)"
	case "ListMaxConcurrent":
		return "LIST_MAX_CONCURRENT (a whole number, at least 1)"
	case "ReadyCacheTTL":
		return "READY_CACHE_TTL (a Go duration such as 1s, or 0)"
	}
	return field
}

func (c Config) validate() []string {
	var out []string
	if c.EndpointURL != "" {
		u, err := url.Parse(c.EndpointURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			out = append(out, fmt.Sprintf("DDB_ENDPOINT_URL %q is not an http(s) URL such as http://dynamodb:8000", c.EndpointURL))
		}
	}
	if c.TableName != "" && !tableNameRE.MatchString(c.TableName) {
		out = append(out, fmt.Sprintf("DDB_TABLE_NAME %q is not a DynamoDB table name (3-255 of a-z A-Z 0-9 _ - .)", c.TableName))
	}
	if c.HashKeyName == "" || len(c.HashKeyName) > 255 {
		out = append(out, "DDB_HASH_KEY_NAME must be 1-255 characters")
	} else if c.HashKeyName == "ts" {
		out = append(out, `DDB_HASH_KEY_NAME must not be "ts": the API stores the write time in that attribute`)
	}
	if c.Port < 1 || c.Port > 65535 {
		out = append(out, fmt.Sprintf("PORT %d is outside 1-65535", c.Port))
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		out = append(out, fmt.Sprintf("LOG_FORMAT %q must be json or text", c.LogFormat))
	}
	if c.Timeout <= 0 {
		out = append(out, fmt.Sprintf("DDB_TIMEOUT %s must be positive", c.Timeout))
	}
	if c.DeleteAllTimeout <= 0 {
		out = append(out, fmt.Sprintf("DELETE_ALL_TIMEOUT %s must be positive", c.DeleteAllTimeout))
	}
	if c.ListMaxConcurrent < 1 {
		out = append(out, fmt.Sprintf("LIST_MAX_CONCURRENT %d must be at least 1", c.ListMaxConcurrent))
	}
	if c.ReadyCacheTTL < 0 {
		out = append(out, fmt.Sprintf("READY_CACHE_TTL %s must not be negative", c.ReadyCacheTTL))
	}
	return out
}

// Redacted describes the configuration for a startup log line; it holds no credentials.
func (c Config) Redacted() map[string]any {
	endpoint := c.EndpointURL
	if endpoint == "" {
		endpoint = "(AWS default for region)"
	}
	return map[string]any{
		"DDB_ENDPOINT_URL": endpoint, "DDB_TABLE_NAME": c.TableName, "DDB_HASH_KEY_NAME": c.HashKeyName,
		"AWS_REGION": c.Region, "PORT": c.Port, "DDB_TIMEOUT": c.Timeout.String(),
		"LOG_LEVEL": c.LogLevel.String(), "LOG_FORMAT": c.LogFormat,
		"DELETE_ALL_ENABLED": c.DeleteAllEnabled, "DELETE_ALL_TIMEOUT": c.DeleteAllTimeout.String(),
		"LIST_MAX_CONCURRENT": c.ListMaxConcurrent, "READY_CACHE_TTL": c.ReadyCacheTTL.String(),
	}
}
