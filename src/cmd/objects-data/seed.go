package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/object"
)

// seed writes n new objects with random version-4 ids and the current time as ts.
func (t *tool) seed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(t.stderr)
	n := fs.Int("n", 1000, "how many objects to write")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 || *n < 0 {
		return fmt.Errorf("%w: seed takes only -n N (N >= 0)", errUsage)
	}
	ts := object.TS(time.Now())
	made := 0
	got, err := t.writeAll(ctx, "seed", *n, func() (writeJob, bool, error) {
		if made == *n {
			return writeJob{}, false, nil
		}
		made++
		return writeJob{o: object.Object{UUID: uuid.NewString(), TS: ts}}, true, nil
	})
	if err != nil {
		return stopped("seed", *n, got, err)
	}
	_, err = fmt.Fprintf(t.stdout, "seed: wrote %d new objects to %s in %s%s\n",
		got.written(), t.where, got.elapsed.Round(time.Millisecond), rate(got.written(), got.elapsed))
	return err
}
