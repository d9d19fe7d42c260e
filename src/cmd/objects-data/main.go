// Command objects-data fills, saves and restores the Objects API's table, through the same SDK
// client and environment variables as the API (DDB_ENDPOINT_URL, DDB_TABLE_NAME,
// DDB_HASH_KEY_NAME, AWS_REGION, DDB_TIMEOUT, AWS credentials):
//
//	objects-data seed [-n 1000]              write n new objects (random version-4 ids, ts = now)
//	objects-data export FILE                 write every object to FILE, in GET /objects' JSON
//	objects-data import [-verbatim] FILE     write every object in FILE (same ids and ts; idempotent)
//	objects-data check [-verbatim] FILE      read FILE as import does, write nothing (no table needed)
//	objects-data create-table                create the table as the API expects it, unless present
//
// `make seed`, `make export` and `make import` run it against the local stack (mk/tools.mk).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/caarlos0/env/v11"

	"github.com/acme/objects-api/src/config"
	"github.com/acme/objects-api/src/store"
)

const usage = `usage: objects-data [-concurrency 16] seed [-n 1000]          write n random objects
       objects-data [-concurrency 16] export FILE              every object to FILE ({"objects":[...]}, as GET /objects)
       objects-data [-concurrency 16] import [-verbatim] FILE  every object in FILE, same ids and ts (idempotent)
       objects-data check [-verbatim] FILE                     FILE read as import reads it; nothing written
       objects-data create-table                               the table as the API expects it, unless present

import and check hold every object to the API's rules (a version-4 id, a ts as the API writes it
or null); -verbatim takes ids and ts as they are, for a file exported from a table where other
programs wrote items. SIGINT or SIGTERM stops a run at once, saying what it wrote; a second one kills it.

environment: as the API's (DDB_TABLE_NAME and AWS_REGION required, DDB_ENDPOINT_URL,
DDB_HASH_KEY_NAME, DDB_TIMEOUT, AWS credentials by the SDK's default chain). See README.md.
`

// errUsage marks command-line and configuration errors, which exit with status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // the first signal is being honoured; a second one kills
	if err := run(ctx, os.Args[1:], env.ToMap(os.Environ()), os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "objects-data:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// run parses args, connects to the table and runs one verb. A summary of what was written goes
// to stdout; progress (for runs longer than a second) goes to stderr.
func run(ctx context.Context, args []string, env map[string]string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("objects-data", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	concurrency := fs.Int("concurrency", 16, "DynamoDB writes in flight at once")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if *concurrency < 1 {
		return fmt.Errorf("%w: -concurrency must be at least 1", errUsage)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("%w: no verb (seed, export, import, check or create-table)", errUsage)
	}
	verb, rest := fs.Arg(0), fs.Args()[1:]
	if verb == "check" {
		return (&tool{stdout: stdout, stderr: stderr}).check(ctx, rest)
	}
	cfg, err := config.Load(env)
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	c, err := store.NewClient(ctx, cfg.Region, cfg.EndpointURL)
	if err != nil {
		return fmt.Errorf("AWS SDK: %w", err)
	}
	t := &tool{
		st:     store.New(c, store.Config{Table: cfg.TableName, HashKey: cfg.HashKeyName, Timeout: cfg.Timeout}),
		where:  where(cfg),
		n:      *concurrency,
		stdout: stdout,
		stderr: stderr,
	}
	switch verb {
	case "seed":
		return t.seed(ctx, rest)
	case "export":
		return t.export(ctx, rest)
	case "import":
		return t.importFile(ctx, rest)
	case "create-table":
		return t.createTable(ctx, c, cfg, rest)
	}
	return fmt.Errorf("%w: unknown verb %q (seed, export, import, check or create-table)", errUsage, verb)
}

// tool is one run's connection and output.
type tool struct {
	st             *store.Store
	where          string // "table objects at http://127.0.0.1:8000", for messages
	n              int    // writes in flight at once
	stdout, stderr io.Writer
}

func where(cfg config.Config) string {
	ep := cfg.EndpointURL
	if ep == "" {
		ep = "AWS " + cfg.Region
	}
	return fmt.Sprintf("table %s at %s", cfg.TableName, ep)
}

// oneFile is the single FILE argument of export and import.
func oneFile(verb string, args []string) (string, error) {
	if len(args) != 1 || args[0] == "" {
		return "", fmt.Errorf("%w: %s takes one FILE argument (usage: objects-data %s FILE)", errUsage, verb, verb)
	}
	return args[0], nil
}
