package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/procfs"
)

// Result is one run, as written to result.json.
type Result struct {
	Date        string         `json:"date"`
	Command     string         `json:"command"`
	Machine     Machine        `json:"machine"`
	Config      map[string]any `json:"config"`
	Startup     StartupResult  `json:"startup"`
	IdleRSSMB   float64        `json:"api_idle_rss_mb"`
	APIBinaryMB float64        `json:"api_binary_mb,omitempty"`
	Phases      []PhaseResult  `json:"phases"`
	Targets     []TargetResult `json:"targets"`
}

// Machine says where the numbers come from.
type Machine struct {
	NProc    int    `json:"nproc"`
	CPUModel string `json:"cpu_model"`
	Kernel   string `json:"kernel"`
	Go       string `json:"go"`
	LoadAvg  string `json:"loadavg_at_start"`
}

// StartupResult is the time from the API process's start to its first /readyz 200.
type StartupResult struct {
	Runs     int     `json:"runs"`
	MedianMS float64 `json:"median_ms"`
	MaxMS    float64 `json:"max_ms"`
}

// PhaseResult is one phase against one target (api, direct, or a named direct baseline),
// summed over its rounds.
type PhaseResult struct {
	Phase    string  `json:"phase"`
	Target   string  `json:"target"`
	Runs     int     `json:"runs"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	Seconds  float64 `json:"seconds"`
	// ReqPerSec counts successful requests over the runs' summed wall time.
	ReqPerSec float64 `json:"req_per_s"`
	P50MS     float64 `json:"p50_ms"`
	P99MS     float64 `json:"p99_ms"`
	// CPUPerReqUS is user+sys CPU per request: of the API process for target api (from
	// /proc/<pid>/stat), of the harness's own SDK client otherwise (getrusage).
	CPUPerReqUS float64 `json:"cpu_per_req_us"`
	// PeakRSSMB is the API's VmHWM during the phase's runs (reset before each run).
	PeakRSSMB float64 `json:"peak_rss_mb,omitempty"`
	// Items listed or deleted per request (list and delete phases).
	Items    int   `json:"items,omitempty"`
	Complete *bool `json:"complete,omitempty"`
	// Ratio is API ÷ direct: of req/s for PUT, GET and list, of time for DELETE.
	Ratio        float64  `json:"ratio_api_over_direct,omitempty"`
	ErrorSamples []string `json:"error_samples,omitempty"`
}

// TargetResult is one of docs/BENCHMARKS.md's targets, checked against this run.
type TargetResult struct {
	Name     string `json:"name"`
	Goal     string `json:"goal"`
	Measured string `json:"measured"`
	Met      bool   `json:"met"`
}

func newResult(cfg Config) *Result {
	return &Result{
		Date:    time.Now().UTC().Format(time.RFC3339),
		Command: strings.Join(append([]string{filepath.Base(os.Args[0])}, os.Args[1:]...), " "),
		Machine: machine(),
		Config: map[string]any{
			"name": cfg.Name, "phases": cfg.Phases, "workers": cfg.Workers, "list_workers": cfg.ListWorkers, "run_duration": cfg.Duration.String(),
			"rounds": cfg.Rounds, "max_requests_per_run": cfg.MaxRequests, "list_sizes": cfg.ListSizes,
			"delete_items": cfg.DeleteItems, "starts": cfg.Starts, "api_env": cfg.APIEnv,
		},
	}
}

func machine() Machine {
	m := Machine{NProc: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if fs, err := procfs.NewDefaultFS(); err == nil {
		if ci, err := fs.CPUInfo(); err == nil && len(ci) > 0 {
			m.CPUModel = ci[0].ModelName
		}
		if la, err := fs.LoadAvg(); err == nil {
			m.LoadAvg = fmt.Sprintf("%.2f %.2f %.2f", la.Load1, la.Load5, la.Load15)
		}
	}
	return m
}

// finish turns the series into phase results and checks the targets.
func (r *Result) finish(all []*series) {
	for _, s := range all {
		s.m.Close()
		p := s.PhaseResult
		p.Requests, p.Seconds, p.PeakRSSMB = s.ok+s.Errors, s.wall.Seconds(), mb(s.peak)
		p.P50MS, p.P99MS = ms(s.m.Latencies.P50), ms(s.m.Latencies.P99)
		if p.Seconds > 0 {
			p.ReqPerSec = float64(s.ok) / p.Seconds
		}
		if p.Requests > 0 {
			p.CPUPerReqUS = float64(s.cpu.Microseconds()) / float64(p.Requests)
		}
		r.Phases = append(r.Phases, p)
	}
	for i, p := range r.Phases {
		d := r.phase(p.Phase, "direct")
		switch {
		case p.Target != "api" || d == nil:
		case strings.HasPrefix(p.Phase, "DELETE") && d.P50MS > 0:
			r.Phases[i].Ratio = p.P50MS / d.P50MS
		case d.ReqPerSec > 0:
			r.Phases[i].Ratio = p.ReqPerSec / d.ReqPerSec
		}
	}
	r.Targets = r.targets()
}

// phase is the result of phase name against target, or nil.
func (r *Result) phase(name, target string) *PhaseResult {
	if i := slices.IndexFunc(r.Phases, func(p PhaseResult) bool { return p.Phase == name && p.Target == target }); i >= 0 {
		return &r.Phases[i]
	}
	return nil
}

// Check fails when any phase had an error, served nothing, or was incomplete: what
// `make bench-smoke` asserts. Targets are not checked (timing on shared machines is noise).
func (r *Result) Check() error {
	var problems []string
	for _, p := range r.Phases {
		switch {
		case p.Errors > 0:
			problems = append(problems, fmt.Sprintf("%s [%s]: %d errors, e.g. %s", p.Phase, p.Target, p.Errors, p.ErrorSamples[0]))
		case p.Requests == 0:
			problems = append(problems, fmt.Sprintf("%s [%s]: no requests", p.Phase, p.Target))
		case p.Complete != nil && !*p.Complete:
			problems = append(problems, fmt.Sprintf("%s [%s]: incomplete", p.Phase, p.Target))
		}
	}
	if len(r.Phases) == 0 {
		problems = append(problems, "no phases ran")
	}
	if len(problems) > 0 {
		return errors.New("bench: " + strings.Join(problems, "\n  "))
	}
	return nil
}

// WriteJSON writes the result, indented, to path.
func (r *Result) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
