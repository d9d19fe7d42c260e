package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// checked is what a check of a data file found: how many objects, on which lines.
type checked struct {
	n, first, last int
}

// checkObjects reads every object of r (a data file) and the rest of the file, and refuses an
// id seen twice. It holds the ids seen, about 45 bytes per object (idSet); the rest of its
// memory does not depend on the file. n counts the objects read, for progress reports.
func checkObjects(ctx context.Context, r io.Reader, verbatim bool, n *atomic.Int64) (checked, error) {
	var c checked
	p, err := newParser(ctx, r, verbatim)
	if err != nil {
		return c, err
	}
	ids := idSet{uuids: map[uuid.UUID]uint32{}, other: map[string]uint32{}}
	for {
		o, line, ok, err := p.next()
		if err != nil || !ok {
			return c, err
		}
		if first, dup := ids.add(o.UUID, line); dup {
			return c, &parseError{line: line, field: fmt.Sprintf("objects[%d].uuid", c.n),
				msg: fmt.Sprintf("%s appears again (first on line %d): each object once", o.UUID, first)}
		}
		if c.n == 0 {
			c.first = line
		}
		c.n, c.last = c.n+1, line
		n.Store(int64(c.n))
	}
}

// idSet is the ids of a file with the line each is first on. An id in the API's form (a UUID
// in canonical lowercase, so every id the API's rules let through) is kept as its 16 bytes:
// about 45 bytes an entry with the map's overhead, 45 MB per million objects (peak RSS about
// 80 MB per million, with the garbage collector's headroom). Other ids (-verbatim) are kept as
// strings.
type idSet struct {
	uuids map[uuid.UUID]uint32
	other map[string]uint32
}

// add records id on line; when it was there already, it says on which line and adds nothing.
func (s *idSet) add(id string, line int) (first int, dup bool) {
	at := uint32(min(line, math.MaxUint32)) //nolint:gosec // G115: clamped; a later line is told as the last one uint32 holds
	if u, err := uuid.Parse(id); err == nil && len(id) == 36 && strings.ToLower(id) == id {
		if first, dup := s.uuids[u]; dup {
			return int(first), true
		}
		s.uuids[u] = at
		return 0, false
	}
	if first, dup := s.other[id]; dup {
		return int(first), true
	}
	s.other[id] = at
	return 0, false
}

// check reads FILE as import would, and writes nothing: no table, no configuration needed.
func (t *tool) check(ctx context.Context, args []string) error {
	path, verbatim, err := fileArgs("check", args, t.stderr)
	if err != nil {
		return err
	}
	f, _, err := openRegular(path)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	defer f.Close()
	start := time.Now()
	c, err := t.checkFile(ctx, "check", f, path, verbatim)
	if err != nil {
		return fmt.Errorf("check: %s, %w", path, err)
	}
	rules := "the API's rules"
	if verbatim {
		rules = "DynamoDB's key rules (-verbatim)"
	}
	_, err = fmt.Fprintf(t.stdout, "check: %s holds %d objects (lines %d to %d), each once and valid by %s, in %s\n",
		path, c.n, c.first, c.last, rules, time.Since(start).Round(time.Millisecond))
	return err
}

// checkFile is checkObjects with progress on stderr.
func (t *tool) checkFile(ctx context.Context, verb string, r io.Reader, path string, verbatim bool) (checked, error) {
	var n atomic.Int64
	stop := t.progress(func(time.Duration) string {
		return fmt.Sprintf("%s: checking %s: %d objects so far", verb, path, n.Load())
	})
	c, err := checkObjects(ctx, r, verbatim, &n)
	stop()
	if err != nil && ctx.Err() != nil {
		return c, fmt.Errorf("interrupted (%v) while checking it, after %d objects", context.Cause(ctx), n.Load())
	}
	if pe := (*parseError)(nil); errors.As(err, &pe) && pe.rule && !verbatim {
		return c, fmt.Errorf("%w (a file exported from a table where other programs wrote items loads with %s -verbatim)", err, verb)
	}
	return c, err
}

// fileArgs is [-verbatim] FILE, the arguments of check and import.
func fileArgs(verb string, args []string, stderr io.Writer) (path string, verbatim bool, err error) {
	fs := flag.NewFlagSet(verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&verbatim, "verbatim", false, "take ids and ts as they are (any id of 1 to 2048 bytes, any ts), not by the API's rules")
	if err := fs.Parse(args); err != nil {
		return "", false, fmt.Errorf("%w: %w", errUsage, err)
	}
	path, err = oneFile(verb, fs.Args())
	return path, verbatim, err
}
