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
// renames it at the end: a failed export leaves FILE as it was.
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
	err = writeObjects(ctx, bufio.NewWriterSize(f, 64<<10), t.st.Scan(), &n)
	stop()
	if err != nil {
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
	return err
}

// writeObjects writes the document. A bufio.Writer keeps its first write error and Flush returns
// it, so the writes in between need no checks of their own.
func writeObjects(ctx context.Context, w *bufio.Writer, p store.Pages, n *atomic.Int64) error {
	_, _ = w.WriteString(`{"objects":[`)
	var page []object.Object
	var buf []byte
	for p.More() {
		var err error
		if page, err = p.Next(ctx, page); err != nil {
			return err
		}
		for _, o := range page {
			if n.Load() > 0 {
				_ = w.WriteByte(',')
			}
			buf = o.AppendJSON(append(buf[:0], '\n'))
			_, _ = w.Write(buf)
			n.Add(1)
		}
	}
	_, _ = w.WriteString("\n]}\n")
	return w.Flush()
}
