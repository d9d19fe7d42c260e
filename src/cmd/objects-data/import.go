package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

// importFile writes every object in FILE with its id and ts. The whole file is checked first,
// so a bad file writes nothing; writing an object that is already there with the same ts
// changes nothing, so importing a file twice is the same as once.
func (t *tool) importFile(ctx context.Context, args []string) error {
	path, err := oneFile("import", args)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	objs, lines, err := parse(data)
	if err != nil {
		return fmt.Errorf("import: %s, %w; nothing was written", path, err)
	}
	got, err := t.writeAll(ctx, "import", objs, func(i int) string {
		return fmt.Sprintf("%s (line %d)", objs[i].UUID, lines[i])
	})
	if err != nil {
		return fmt.Errorf("%w; importing %s again is safe (same ids and ts)", stopped("import", len(objs), got, err), path)
	}
	_, err = fmt.Fprintf(t.stdout, "import: wrote %d objects from %s to %s (%d new, %d already there, now with the file's ts) in %s%s\n",
		got.written(), path, t.where, got.created, got.replaced, got.elapsed.Round(time.Millisecond), rate(got.written(), got.elapsed))
	return err
}
