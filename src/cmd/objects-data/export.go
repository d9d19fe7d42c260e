package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/acme/objects-api/src/object"
	"github.com/acme/objects-api/src/store"
)

// export writes every object to FILE as GET /objects answers, {"objects":[...]}, with one object
// per line so that import's errors can name a line. It writes a temporary file beside FILE and
// renames it at the end: a failed export leaves FILE as it was. Items other programs wrote are
// written as GET /objects shows them (no string ts: null); when one breaks the API's rules the
// summary says so, since only import -verbatim loads it back.
func (t *tool) export(ctx context.Context, args []string) (err error) {
	path, err := oneFile("export", args)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	var n atomic.Int64
	start := time.Now()
	stop := t.progress(func(time.Duration) string { return fmt.Sprintf("export: %d objects read", n.Load()) })
	foreign, err := writeObjects(ctx, bufio.NewWriterSize(f, 64<<10), t.st.Scan(), &n)
	stop()
	if err != nil {
		if ctx.Err() != nil {
			err = context.Cause(ctx)
		}
		return fmt.Errorf("export: stopped after reading %d objects; %s was not written: %w", n.Load(), path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	elapsed := time.Since(start)
	_, err = fmt.Fprintf(t.stdout, "export: wrote %d objects from %s to %s in %s%s\n",
		n.Load(), t.where, path, elapsed.Round(time.Millisecond), rate(int(n.Load()), elapsed))
	if err == nil && foreign.n > 0 {
		_, err = fmt.Fprintf(t.stdout, "export: %d of them are not as the API writes them (the first: %s); import -verbatim loads them as they are\n",
			foreign.n, foreign.first.AppendJSON(nil))
	}
	return err
}

// foreign counts the objects that break the API's rules (written by other programs).
type foreign struct {
	n     int
	first object.Object
}

// writeObjects writes the document. A bufio.Writer keeps its first write error and Flush returns
// it, so the writes in between need no checks of their own.
func writeObjects(ctx context.Context, w *bufio.Writer, p store.Pages, n *atomic.Int64) (foreign, error) {
	var bad foreign
	_, _ = w.WriteString(`{"objects":[`)
	var page []object.Object
	var buf []byte
	for p.More() {
		var err error
		if page, err = p.Next(ctx, page); err != nil {
			return bad, err
		}
		for _, o := range page {
			if c, err := o.Check(); err != nil || c != o { // import would refuse it, or lowercase its id
				if bad.n++; bad.n == 1 {
					bad.first = o
				}
			}
			if n.Load() > 0 {
				_ = w.WriteByte(',')
			}
			buf = o.AppendJSON(append(buf[:0], '\n'))
			_, _ = w.Write(buf)
			n.Add(1)
		}
	}
	_, _ = w.WriteString("\n]}\n")
	return bad, w.Flush()
}
