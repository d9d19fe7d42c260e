package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// importFile writes every object in FILE with its id and ts. It reads the file twice, as a
// stream: first it checks every object (checkObjects), so a bad file writes nothing; then it
// reads it again and writes each object as it comes. Writing an object that is already there
// with the same ts changes nothing, so importing a file twice is the same as once.
func (t *tool) importFile(ctx context.Context, args []string) error {
	path, verbatim, err := fileArgs("import", args, t.stderr)
	if err != nil {
		return err
	}
	f, before, err := openRegular(path)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	c, err := t.checkFile(ctx, "import", f, path, verbatim)
	if err != nil {
		return fmt.Errorf("import: %s, %w; nothing was written", path, err)
	}
	// The second pass must read what the first checked.
	if now, err := f.Stat(); err != nil || now.Size() != before.Size() || !now.ModTime().Equal(before.ModTime()) {
		return fmt.Errorf("import: %s changed while it was being checked; nothing was written", path)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("import: %w; nothing was written", err)
	}
	p, err := newParser(ctx, f, verbatim)
	if err != nil {
		return fmt.Errorf("import: reading %s again: %w; nothing was written", path, err)
	}
	got, err := t.writeAll(ctx, "import", c.n, func() (writeJob, bool, error) {
		o, line, ok, err := p.next()
		if err != nil && ctx.Err() == nil {
			err = fmt.Errorf("%s changed since it was checked: %w", path, err)
		}
		return writeJob{o, line}, ok, err
	})
	if err != nil {
		return fmt.Errorf("%w; importing %s again is safe (same ids and ts)", stopped("import", c.n, got, err), path)
	}
	_, err = fmt.Fprintf(t.stdout, "import: wrote %d objects from %s to %s (%d new, %d already there, now with the file's ts) in %s%s\n",
		got.written(), path, t.where, got.created, got.replaced, got.elapsed.Round(time.Millisecond), rate(got.written(), got.elapsed))
	return err
}
