// Command api serves the Objects API. `api healthcheck` probes a running one (for container
// HEALTHCHECKs in images without curl): readiness by default, liveness with -liveness.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/caarlos0/env/v11"
	"github.com/gofiber/fiber/v2"

	"github.com/acme/objects-api/src/config"
	"github.com/acme/objects-api/src/httpapi"
	"github.com/acme/objects-api/src/store"
)

// shutdownTimeout bounds how long in-flight requests may take to finish after SIGTERM/SIGINT.
const shutdownTimeout = 10 * time.Second

const usage = `usage: api                          serve the Objects API (configuration from the environment)
       api healthcheck [-liveness]  exit 0 iff GET http://127.0.0.1:$PORT/readyz answers 200
                                    (-liveness: /healthz, the process serves; no DynamoDB call)

environment: DDB_TABLE_NAME and AWS_REGION (required), DDB_ENDPOINT_URL, DDB_HASH_KEY_NAME (uuid),
PORT (8080), DDB_TIMEOUT (3s), LOG_LEVEL (info), LOG_FORMAT (json), DELETE_ALL_ENABLED (true),
DELETE_ALL_TIMEOUT (5m), LIST_MAX_CONCURRENT (8), READY_CACHE_TTL (1s), AWS credentials by the
SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). See README.md.
`

// errConfig marks configuration errors, which exit with status 2.
var errConfig = errors.New("configuration")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], env.ToMap(os.Environ()), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "api:", err)
		if errors.Is(err, errConfig) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// run serves until ctx is done, then shuts down gracefully. Logs go to stdout as JSON.
func run(ctx context.Context, args []string, env map[string]string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "healthcheck" {
		return healthcheck(args[1:], env)
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		_, err := fmt.Fprint(stdout, usage)
		return err
	}
	if len(args) > 0 {
		return fmt.Errorf("%w: unknown argument %q (usage: api [healthcheck [-liveness] | --help])", errConfig, args[0])
	}
	cfg, err := config.Load(env)
	if err != nil {
		return fmt.Errorf("%w: %w", errConfig, err)
	}
	logger := newLogger(cfg, stdout)
	app, err := newApp(ctx, cfg, logger)
	if err != nil {
		return fmt.Errorf("%w: AWS SDK: %w", errConfig, err)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("0.0.0.0:%d", cfg.Port))
	if err != nil {
		return err
	}
	logger.Info("listening", "addr", ln.Addr().String(), "version", httpapi.Version(), "config", cfg.Redacted())
	logged := make(chan struct{})
	stopLog := context.AfterFunc(ctx, func() {
		logger.Info("shutting down", "timeout", shutdownTimeout.String())
		close(logged)
	})
	err = httpapi.Serve(ctx, app, ln, shutdownTimeout)
	if !stopLog() { // the line is being written on its own goroutine: let it finish before exit
		<-logged
	}
	return err
}

// newApp wires the API for cfg: the DynamoDB client, the store reporting its calls to the
// metrics, and the server. The error is the SDK's, when it cannot load its configuration.
func newApp(ctx context.Context, cfg config.Config, logger *slog.Logger) (*fiber.App, error) {
	client, err := store.NewClient(ctx, cfg.Region, cfg.EndpointURL)
	if err != nil {
		return nil, err
	}
	metrics := httpapi.NewMetrics()
	st := store.New(store.Instrument(client, metrics.ObserveDynamoDB),
		store.Config{Table: cfg.TableName, HashKey: cfg.HashKeyName, Timeout: cfg.Timeout})
	return httpapi.NewServer(st, logger, httpapi.WithMetrics(metrics),
		httpapi.WithDeleteAll(cfg.DeleteAllEnabled, cfg.DeleteAllTimeout), httpapi.WithStopping(ctx),
		httpapi.WithListMaxConcurrent(cfg.ListMaxConcurrent), httpapi.WithReadyCacheTTL(cfg.ReadyCacheTTL)), nil
}

// newLogger writes LOG_FORMAT lines at LOG_LEVEL and above.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// healthcheck exits 0 when the local API answers GET /readyz with 200, or with -liveness GET
// /healthz. Compose's `up --wait` needs readiness: it must not report a stack up before its
// table answers. A scheduler that replaces unhealthy containers (the ECS task definition) needs
// liveness: a DynamoDB outage marks every task not ready at once, and replacing them all would
// not bring DynamoDB back.
func healthcheck(args []string, env map[string]string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the error is returned, and main prints it
	liveness := fs.Bool("liveness", false, "probe /healthz instead of /readyz")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: healthcheck: %w (usage: api healthcheck [-liveness])", errConfig, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: healthcheck: unexpected argument %q (usage: api healthcheck [-liveness])", errConfig, fs.Arg(0))
	}
	path := "/readyz"
	if *liveness {
		path = "/healthz"
	}
	port := env["PORT"]
	if port == "" {
		port = "8080"
	}
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get("http://127.0.0.1:" + port + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s %s", path, resp.Status, body)
	}
	return nil
}
