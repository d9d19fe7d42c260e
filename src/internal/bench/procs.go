package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/prometheus/procfs"
)

// proc is a child process the harness started and measures through /proc.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // Wait's result, once done is closed
}

// start runs cmd, killed with the harness if the harness dies first.
func start(cmd *exec.Cmd) (*proc, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	return p, nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// stop sends SIGTERM, then SIGKILL after grace, and waits for the exit.
func (p *proc) stop(grace time.Duration) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// cpuTime is the user+system CPU time the process has used so far (all its threads).
func (p *proc) cpuTime() (time.Duration, error) {
	pp, err := procfs.NewProc(p.pid())
	if err != nil {
		return 0, err
	}
	st, err := pp.Stat()
	if err != nil {
		return 0, err
	}
	return time.Duration(st.CPUTime() * float64(time.Second)), nil
}

// memory returns VmRSS and VmHWM (peak RSS) in bytes from /proc/<pid>/status.
func (p *proc) memory() (rss, hwm int64, err error) {
	pp, err := procfs.NewProc(p.pid())
	if err != nil {
		return 0, 0, err
	}
	st, err := pp.NewStatus()
	if err != nil {
		return 0, 0, err
	}
	return int64(st.VmRSS), int64(st.VmHWM), nil
}

// resetPeak sets VmHWM back to the current RSS (proc(5), clear_refs value 5), so the next
// reading is the peak of one phase rather than of the process's life.
func (p *proc) resetPeak() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.pid()), []byte("5"), 0)
}

// waitHTTP polls url every millisecond until it answers (with status want, if want is not 0),
// the process exits, or limit passes.
func waitHTTP(ctx context.Context, p *proc, url string, want int, limit time.Duration) error {
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
		case <-p.done:
			return fmt.Errorf("exited before %s answered: %v", url, p.err)
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer %d within %s", url, want, limit)
		case <-time.After(time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
