package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// startDynalite starts a fresh in-memory dynalite on a free loopback port. Tables become
// ACTIVE at once (--createTableMs 0): the harness does not measure table creation.
func startDynalite(ctx context.Context, bin string, log *os.File) (*proc, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(bin, "--host", "127.0.0.1", "--port", strconv.Itoa(port), "--createTableMs", "0", "--deleteTableMs", "0")
	cmd.Stdout, cmd.Stderr = log, log
	p, err := start(cmd)
	if err != nil {
		return nil, "", fmt.Errorf("start dynalite: %w", err)
	}
	ep := fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitHTTP(ctx, p, ep, 0, 15*time.Second); err != nil {
		p.stop(time.Second)
		return nil, "", fmt.Errorf("dynalite: %w", err)
	}
	return p, ep, nil
}

// findDynalite is $DYNALITE_BIN, or tools/dynalite/node_modules/.bin/dynalite in the module.
func findDynalite(root string) (string, error) {
	b := os.Getenv("DYNALITE_BIN")
	if b == "" {
		b = filepath.Join(root, "tools", "dynalite", "node_modules", ".bin", "dynalite")
	}
	if _, err := os.Stat(b); err != nil {
		return "", fmt.Errorf("dynalite is not installed (run `make deps`): %w", err)
	}
	return b, nil
}

// moduleRoot is the directory holding go.mod, at or above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory; run from the repository")
		}
		dir = parent
	}
}
