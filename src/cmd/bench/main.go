// Command bench is `make bench`: it measures the API against the DynamoDB backend's own ceiling
// in one run (a fresh dynalite and the API binary on 127.0.0.1, load from vegeta), prints one
// table and writes result.json. See docs/BENCHMARKS.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/acme/objects-api/src/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	smoke := fs.Bool("smoke", false, "tiny phases (seconds), as `make test` runs it; fails on any error or incomplete phase")
	out := fs.String("out", filepath.Join(os.TempDir(), "objects-api-bench"), "directory for result.json and the logs")
	apiBin := fs.String("api-bin", "", "API binary to run (default: go build ./src/cmd/api into -out)")
	workers := fs.Int("workers", 0, "override: concurrent requests in the PUT and GET phases")
	duration := fs.Duration("duration", 0, "override: duration of one API or direct run")
	phases := fs.String("phases", "", "run only these phases: comma-separated list,delete,put,get (get needs put)")
	var apiEnv []string
	fs.Func("api-env", "extra `KEY=VALUE` for the API process, e.g. GOGC=400 (repeatable)", func(kv string) error {
		if !strings.Contains(kv, "=") {
			return fmt.Errorf("%q is not KEY=VALUE", kv)
		}
		apiEnv = append(apiEnv, kv)
		return nil
	})
	rounds := fs.Int("rounds", 0, "override: interleaved API/direct run pairs per phase")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := bench.Full
	if *smoke {
		cfg = bench.Smoke
	}
	cfg.OutDir, cfg.APIBin, cfg.Phases, cfg.APIEnv = *out, *apiBin, *phases, apiEnv
	if *workers > 0 {
		cfg.Workers = *workers
	}
	if *duration > 0 {
		cfg.Duration = *duration
	}
	if *rounds > 0 {
		cfg.Rounds = *rounds
	}
	// Whatever happens, the run ends: the phases are bounded, and this bounds the rest.
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	res, err := bench.Run(ctx, cfg, stdout)
	if err != nil {
		return errors.Join(errors.New("bench failed"), err)
	}
	res.Print(stdout)
	path := filepath.Join(cfg.OutDir, "result.json")
	if err := res.WriteJSON(path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nresult: %s\n", path)
	return res.Check()
}
