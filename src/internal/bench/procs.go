package bench

import (
	"fmt"
	"os"
	"time"

	"github.com/prometheus/procfs"

	"github.com/acme/objects-api/src/internal/testutil"
)

// proc is a child process the harness started and measures through /proc.
type proc struct{ *testutil.Proc }

func (p proc) pid() int { return p.Cmd.Process.Pid }

// cpuTime is the user+system CPU time the process has used so far (all its threads).
func (p proc) cpuTime() (time.Duration, error) {
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
func (p proc) memory() (rss, hwm int64, err error) {
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
func (p proc) resetPeak() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.pid()), []byte("5"), 0)
}
