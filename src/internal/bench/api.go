package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/procfs"

	"github.com/acme/objects-api/src/internal/testutil"
)

// The benchmark's table; region and credentials are testutil's (loopback dynalite only).
const (
	table   = "objects-bench"
	hashKey = "uuid"
)

// apiBinary is cfg.APIBin, or ./src/cmd/api built into cfg.OutDir as the prod image builds it
// (static, trimmed, stripped). Its size goes into res.
func apiBinary(ctx context.Context, cfg Config, res *Result, step func(string, ...any)) (string, error) {
	bin := cfg.APIBin
	if bin == "" {
		root, err := testutil.Root()
		if err != nil {
			return "", err
		}
		step("building ./src/cmd/api")
		bin = filepath.Join(cfg.OutDir, "api")
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./src/cmd/api")
		cmd.Dir, cmd.Env = root, append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build ./src/cmd/api: %v\n%s", err, out)
		}
	}
	if fi, err := os.Stat(bin); err == nil {
		res.APIBinaryMB = mb(fi.Size())
	}
	return bin, nil
}

// apiEnv is the API's whole environment: nothing is inherited, so a developer's AWS settings
// cannot point the benchmark elsewhere. cfg.APIEnv comes last (experiments: GOGC, LOG_LEVEL).
func apiEnv(cfg Config, endpoint string, port int) []string {
	return append([]string{
		"DDB_ENDPOINT_URL=" + endpoint,
		"DDB_TABLE_NAME=" + table,
		"DDB_HASH_KEY_NAME=" + hashKey,
		"AWS_REGION=" + testutil.Region,
		"AWS_ACCESS_KEY_ID=" + testutil.AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + testutil.SecretKey,
		// The list and delete phases move 10,000 items per request; one Scan page or one
		// BatchWriteItem must not hit the 3 s default on a loaded machine.
		"DDB_TIMEOUT=10s",
		"PORT=" + strconv.Itoa(port),
		"HOME=" + os.TempDir(), // no ~/.aws files
	}, cfg.APIEnv...)
}

// apiServer is one running API process, measured through /proc.
type apiServer struct {
	*testutil.Proc
	base string      // http://127.0.0.1:port
	proc procfs.Proc // its /proc/<pid>
}

// cpuTime is the user+system CPU time the process has used so far (all its threads).
func (s *apiServer) cpuTime() (time.Duration, error) {
	st, err := s.proc.Stat()
	return time.Duration(st.CPUTime() * float64(time.Second)), err
}

// memory returns VmRSS and VmHWM (peak RSS) in bytes from /proc/<pid>/status.
func (s *apiServer) memory() (rss, hwm int64, err error) {
	st, err := s.proc.NewStatus()
	return int64(st.VmRSS), int64(st.VmHWM), err
}

// resetPeak sets VmHWM back to the current RSS (proc(5), clear_refs value 5), so the next
// reading is the peak of one phase rather than of the process's life.
func (s *apiServer) resetPeak() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.proc.PID), []byte("5"), 0)
}

// startup starts the API cfg.Starts times and keeps the last process running: the figure is the
// median time from process start to its first 200 from /readyz, with the table already ACTIVE.
func startup(ctx context.Context, cfg Config, bin, endpoint string, log *os.File) (*apiServer, StartupResult, error) {
	var times []time.Duration
	var s *apiServer
	for range cfg.Starts {
		if s != nil {
			s.Stop(5 * time.Second)
		}
		port, err := testutil.PickPort()
		if err != nil {
			return nil, StartupResult{}, err
		}
		cmd := exec.Command(bin)
		cmd.Env, cmd.Stdout, cmd.Stderr = apiEnv(cfg, endpoint, port), log, log
		t0 := time.Now()
		p, err := testutil.StartProc(cmd)
		if err != nil {
			return nil, StartupResult{}, fmt.Errorf("start API: %w", err)
		}
		s = &apiServer{Proc: p, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
		if err = p.WaitHTTP(ctx, s.base+"/readyz", 200, 10*time.Second); err == nil {
			times = append(times, time.Since(t0))
			s.proc, err = procfs.NewProc(cmd.Process.Pid)
		}
		if err != nil {
			p.Stop(time.Second)
			return nil, StartupResult{}, fmt.Errorf("API: %w (log: %s)", err, log.Name())
		}
	}
	slices.Sort(times)
	return s, StartupResult{Runs: cfg.Starts, MedianMS: ms(times[len(times)/2]), MaxMS: ms(times[len(times)-1])}, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
