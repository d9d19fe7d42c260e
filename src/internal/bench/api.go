package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// Table, region and the dummy credentials of the benchmark's backend (loopback dynalite only).
const (
	table     = "objects-bench"
	hashKey   = "uuid"
	region    = "us-east-1"
	accessKey = "localkey"
	secretKey = "localsecret"
)

// buildAPI compiles ./src/cmd/api as the prod image does (static, trimmed, stripped).
func buildAPI(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "api")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./src/cmd/api")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./src/cmd/api: %v\n%s", err, out)
	}
	return bin, nil
}

// apiEnv is the API's whole environment: nothing is inherited, so a developer's AWS settings
// cannot point the benchmark elsewhere. extra is appended (the profiling hooks).
func apiEnv(endpoint string, port int, extra ...string) []string {
	return append([]string{
		"DDB_ENDPOINT_URL=" + endpoint,
		"DDB_TABLE_NAME=" + table,
		"DDB_HASH_KEY_NAME=" + hashKey,
		"AWS_REGION=" + region,
		"AWS_ACCESS_KEY_ID=" + accessKey,
		"AWS_SECRET_ACCESS_KEY=" + secretKey,
		// The list and delete phases move 10,000 items per request; one Scan page or one
		// BatchWriteItem must not hit the 3 s default on a loaded 2-core machine.
		"DDB_TIMEOUT=10s",
		"PORT=" + strconv.Itoa(port),
		"HOME=" + os.TempDir(), // no ~/.aws files
	}, extra...)
}

// apiCommand is how the harness runs an API process: the built binary, or (profiling) this
// program re-executed as an in-process copy of it.
type apiCommand func(env []string) *exec.Cmd

// apiServer is one running API process.
type apiServer struct {
	*proc
	base string // http://127.0.0.1:port
}

// startAPI starts an API process and returns it with the time from the process start to its
// first 200 from /readyz.
func startAPI(ctx context.Context, command apiCommand, endpoint string, log *os.File) (*apiServer, time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	cmd := command(apiEnv(endpoint, port))
	cmd.Stdout, cmd.Stderr = log, log
	t0 := time.Now()
	p, err := start(cmd)
	if err != nil {
		return nil, 0, fmt.Errorf("start API: %w", err)
	}
	s := &apiServer{proc: p, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	if err := waitHTTP(ctx, p, s.base+"/readyz", 200, 10*time.Second); err != nil {
		p.stop(time.Second)
		return nil, 0, fmt.Errorf("API: %w (log: %s)", err, log.Name())
	}
	return s, time.Since(t0), nil
}

// startup starts the API n times and keeps the last process running: the figure is the median
// time from process start to /readyz 200 with the table already ACTIVE.
func startup(ctx context.Context, n int, command apiCommand, endpoint string, log *os.File) (*apiServer, StartupResult, error) {
	var times []time.Duration
	var s *apiServer
	for i := 0; i < n; i++ {
		if s != nil {
			s.stop(5 * time.Second)
		}
		var d time.Duration
		var err error
		if s, d, err = startAPI(ctx, command, endpoint, log); err != nil {
			return nil, StartupResult{}, err
		}
		times = append(times, d)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return s, StartupResult{Runs: n, MedianMS: ms(times[len(times)/2]), MaxMS: ms(times[len(times)-1])}, nil
}

// apiCmd builds the API (or takes cfg.APIBin), or with cfg.Profile runs this program again as
// an in-process copy of the API (see ServeProfiled).
func apiCmd(ctx context.Context, cfg Config, root string, res *Result, step func(string, ...any)) (apiCommand, error) {
	if cfg.Profile {
		self, err := os.Executable()
		if err != nil {
			return nil, err
		}
		step("profiling: the API runs in-process in %s; profiles go to %s", self, cfg.OutDir)
		return func(env []string) *exec.Cmd {
			cmd := exec.Command(self)
			cmd.Env = append(append(env, cfg.APIEnv...), ProfileEnv+"="+cfg.OutDir)
			return cmd
		}, nil
	}
	bin := cfg.APIBin
	if bin == "" {
		step("building ./src/cmd/api")
		var err error
		if bin, err = buildAPI(ctx, root, cfg.OutDir); err != nil {
			return nil, err
		}
	}
	if fi, err := os.Stat(bin); err == nil {
		res.APIBinaryMB = mb(fi.Size())
	}
	return func(env []string) *exec.Cmd {
		cmd := exec.Command(bin)
		cmd.Env = append(env, cfg.APIEnv...)
		return cmd
	}, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
