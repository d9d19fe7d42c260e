package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/acme/objects-api/src/config"
	"github.com/acme/objects-api/src/httpapi"
	"github.com/acme/objects-api/src/store"
)

// ProfileEnv, set to a directory, makes the bench command serve the API in-process (see
// ServeProfiled) instead of benchmarking. Only the harness sets it, for `bench -profile`.
const ProfileEnv = "BENCH_PROFILE_API_DIR"

// ServeProfiled serves the API wired as src/cmd/api's run wires it (config from env, logger,
// store.NewClient, metrics, store.Instrument, httpapi.NewServer) under a CPU profile, until ctx is done (SIGTERM from the harness). It then
// writes cpu-<pid>.pprof and allocs-<pid>.pprof into dir. The product itself has no pprof
// endpoint: profiling lives only in this benchmark tool.
func ServeProfiled(ctx context.Context, dir string, environ []string, stdout io.Writer) error {
	env := make(map[string]string)
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	cfg, err := config.Load(env)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: cfg.LogLevel}))
	client, err := store.NewClient(ctx, cfg.Region, cfg.EndpointURL)
	if err != nil {
		return err
	}
	metrics := httpapi.NewMetrics()
	st := store.New(store.Instrument(client, metrics.ObserveDynamoDB), cfg.Store())
	app := httpapi.NewServer(st, logger, httpapi.WithMetrics(metrics),
		httpapi.WithDeleteAll(cfg.DeleteAllEnabled, cfg.DeleteAllTimeout), httpapi.WithStopping(ctx))
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", cfg.Port))
	if err != nil {
		return err
	}
	pid := os.Getpid()
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", pid)))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	err = httpapi.Serve(ctx, app, ln, 10*time.Second)
	pprof.StopCPUProfile()
	a, aerr := os.Create(filepath.Join(dir, fmt.Sprintf("allocs-%d.pprof", pid)))
	if aerr != nil {
		return aerr
	}
	defer a.Close()
	if aerr := pprof.Lookup("allocs").WriteTo(a, 0); aerr != nil {
		return aerr
	}
	return err
}
