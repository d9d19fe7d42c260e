package testutil

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"syscall"
	"time"
)

// Proc is a child process: killed with its parent if the parent dies first, reaped when it exits.
type Proc struct {
	Cmd  *exec.Cmd
	Done chan struct{} // closed when the process has exited
	Err  error         // Wait's result, once Done is closed
}

// StartProc starts cmd as a Proc.
func StartProc(cmd *exec.Cmd) (*Proc, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Proc{Cmd: cmd, Done: make(chan struct{})}
	go func() { p.Err = cmd.Wait(); close(p.Done) }()
	return p, nil
}

// Stop sends SIGTERM, then SIGKILL after grace, and waits for the exit.
func (p *Proc) Stop(grace time.Duration) {
	_ = p.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.Done:
	case <-time.After(grace):
		_ = p.Cmd.Process.Kill()
		<-p.Done
	}
}

// WaitHTTP polls url every millisecond until it answers (with status want, if want is not 0),
// the process exits, or limit passes.
func (p *Proc) WaitHTTP(ctx context.Context, url string, want int, limit time.Duration) error {
	c := &http.Client{Timeout: time.Second}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := c.Do(req); err == nil {
			resp.Body.Close()
			if want == 0 || resp.StatusCode == want {
				return nil
			}
		}
		select {
		case <-p.Done:
			return fmt.Errorf("exited before %s answered: %v", url, p.Err)
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer %d within %s", url, want, limit)
		case <-time.After(time.Millisecond):
		}
	}
}
