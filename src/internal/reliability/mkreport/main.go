// Command mkreport renders docs/RELIABILITY.md from `go test -json` output of the reliability
// tests (see package report). It writes the report even when the run had problems, lists them
// in it, and then exits 1, so a failing run never leaves a report that reads as a pass.
//
//	mkreport -o docs/RELIABILITY.md -commit $(git rev-parse --short HEAD) results/*.json
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/acme/objects-api/src/internal/reliability/report"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mkreport:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("mkreport", flag.ContinueOnError)
	out := fs.String("o", "docs/RELIABILITY.md", "the report to write")
	commit := fs.String("commit", "unknown", "the commit tested")
	command := fs.String("command", "make reliability", "how the run was made, for the header")
	long := fs.Bool("long", false, "the longer fault and fuzz runs were on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: mkreport [-o file] [-commit sha] [-long] go-test-json-file [...]")
	}
	var readers []io.Reader
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		readers = append(readers, f)
	}
	results, err := report.Parse(io.MultiReader(readers...))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	meta := report.Meta{Command: *command, Date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), Commit: *commit, Long: *long}
	if err := results.Render(f, meta); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "mkreport: wrote %s (%d observations, %d fuzz runs)\n", *out, len(results.Rows), len(results.Fuzz))
	if p := results.Problems(); len(p) > 0 {
		for _, line := range p {
			fmt.Fprintln(stdout, "mkreport: problem:", line)
		}
		return fmt.Errorf("%d problem(s) in the run (listed above and in %s)", len(p), *out)
	}
	return nil
}
