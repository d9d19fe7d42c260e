// Package bench is the load harness behind `make bench`: a fresh in-memory dynalite and the API
// binary on 127.0.0.1, driven by vegeta in fixed-duration, fixed-worker phases, each interleaved
// with the same DynamoDB calls made directly with the SDK, so every figure that matters is a
// ratio measured in one run on one (shared, noisy) machine. See docs/BENCHMARKS.md.
package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/store"
)

// Config bounds a run. Every loop is bounded by a count and a time.
type Config struct {
	Name        string        // "full" or "smoke", recorded in the result
	Workers     int           // concurrent requests in the PUT and GET phases
	ListWorkers int           // concurrent requests in the GET /objects phases
	Duration    time.Duration // one run (API or direct) of a PUT, GET or list phase
	Rounds      int           // API/direct run pairs per phase, alternating which goes first
	MaxRequests int           // cap on requests per run
	ListSizes   []int         // GET /objects after seeding this many items (cumulative, ascending)
	DeleteItems int           // DELETE /objects of this many items
	Starts      int           // API starts timed to /readyz 200 (median reported)
	APIBin      string        // a built API binary; empty builds ./src/cmd/api
	OutDir      string        // result.json, the API and dynalite logs
	Phases      string        // "" for all, or a comma-separated subset of list,delete,put,get (get needs put)
	APIEnv      []string      // extra KEY=VALUE settings for the API process (experiments: GOGC, LOG_LEVEL)
}

// Full is `make bench`: about two minutes (docs/BENCHMARKS.md).
var Full = Config{Name: "full", Workers: 8, ListWorkers: 2, Duration: 4 * time.Second, Rounds: 2, MaxRequests: 200_000,
	ListSizes: []int{1_000, 10_000}, DeleteItems: 10_000, Starts: 5}

// Smoke is `make bench-smoke`, the tiny run `make check` does so the harness cannot rot: a few
// seconds.
var Smoke = Config{Name: "smoke", Workers: 2, ListWorkers: 1, Duration: 300 * time.Millisecond, Rounds: 2, MaxRequests: 2_000,
	ListSizes: []int{20, 120}, DeleteItems: 120, Starts: 2}

// harness is one run's state.
type harness struct {
	cfg    Config
	api    *apiServer
	ddb    *dynamodb.Client
	all    []*series
	seeded []string // items the list phases seeded
}

// series returns the series for phase and target, creating it in the order of first use.
func (h *harness) series(phase, target string) *series {
	if i := slices.IndexFunc(h.all, func(s *series) bool { return s.Phase == phase && s.Target == target }); i >= 0 {
		return h.all[i]
	}
	s := &series{PhaseResult: PhaseResult{Phase: phase, Target: target}}
	h.all = append(h.all, s)
	return s
}

// Run does one whole benchmark and returns its result; progress goes to w. The error is for
// a harness failure (backend or API did not start); request failures are in the result.
func Run(ctx context.Context, cfg Config, w io.Writer) (*Result, error) {
	if err := os.MkdirAll(cfg.OutDir, 0o755); err != nil {
		return nil, err
	}
	var logs [2]*os.File
	for i, name := range []string{"dynalite.log", "api.log"} {
		f, err := os.Create(filepath.Join(cfg.OutDir, name))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		logs[i] = f
	}
	res := newResult(cfg)
	step := func(format string, a ...any) { fmt.Fprintf(w, "bench: "+format+"\n", a...) }
	bin, err := apiBinary(ctx, cfg, res, step)
	if err != nil {
		return nil, err
	}
	// Tables become ACTIVE at once: the harness does not measure table creation.
	backend, err := testutil.StartDynalite(logs[0], "--createTableMs", "0", "--deleteTableMs", "0")
	if err != nil {
		return nil, fmt.Errorf("dynalite: %w", err)
	}
	defer backend.Stop()
	endpoint := backend.Endpoint()
	step("dynalite at %s", endpoint)

	// The SDK's default chain reads these: the direct side talks to loopback dynalite only.
	os.Setenv("AWS_ACCESS_KEY_ID", testutil.AccessKey)
	os.Setenv("AWS_SECRET_ACCESS_KEY", testutil.SecretKey)
	h := &harness{cfg: cfg}
	if h.ddb, err = store.NewClient(ctx, testutil.Region, endpoint); err != nil {
		return nil, err
	}
	if err := store.CreateTable(ctx, h.ddb, table, hashKey); err != nil {
		return nil, err
	}
	if h.api, res.Startup, err = startup(ctx, cfg, bin, endpoint, logs[1]); err != nil {
		return nil, err
	}
	defer h.api.Stop(10 * time.Second)
	step("API at %s: start to /readyz 200 in %.1f ms (median of %d)", h.api.base, res.Startup.MedianMS, cfg.Starts)
	time.Sleep(200 * time.Millisecond) // let the runtime settle before the idle reading
	rss, _, err := h.api.memory()
	if err != nil {
		return nil, err
	}
	res.IdleRSSMB = mb(rss)

	if err := h.phases(ctx, step); err != nil {
		return nil, err
	}
	res.finish(h.all)
	return res, nil
}

// phases runs the phases. Order: the list phases first, on a fresh process and an empty table,
// so their peak RSS is compared with a process that has served nothing heavier than /readyz;
// then DELETE /objects empties the table for the PUT and GET phases.
func (h *harness) phases(ctx context.Context, step func(string, ...any)) error {
	on := func(name string) bool {
		return h.cfg.Phases == "" || slices.Contains(strings.Split(h.cfg.Phases, ","), name)
	}
	for _, n := range h.cfg.ListSizes {
		if !on("list") {
			break
		}
		step("%s", phaseList(n))
		if err := h.listPhase(ctx, n); err != nil {
			return err
		}
	}
	if on("delete") {
		step("%s and its baselines", phaseDelete(h.cfg.DeleteItems))
		if err := h.deletePhase(ctx, h.cfg.DeleteItems); err != nil {
			return err
		}
	}
	if !on("put") {
		return nil
	}
	step("%s", phasePut)
	ids, err := h.putPhase(ctx)
	if err != nil || !on("get") {
		return err
	}
	step("%s (%d ids)", phaseGet, len(ids))
	return h.getPhase(ctx, ids)
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }
