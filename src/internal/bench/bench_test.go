package bench

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	no := false
	tests := []struct {
		name   string
		phases []PhaseResult
		want   string // substring of the error; "" for none
	}{
		{"clean", []PhaseResult{{Phase: "PUT", Target: "api", Requests: 10}}, ""},
		{"errors", []PhaseResult{{Phase: "PUT", Target: "api", Requests: 10, Errors: 1, ErrorSamples: []string{"status 500"}}}, "status 500"},
		{"idle", []PhaseResult{{Phase: "PUT", Target: "api"}}, "no requests"},
		{"incomplete", []PhaseResult{{Phase: "GET /objects", Target: "api", Requests: 3, Complete: &no}}, "incomplete"},
		{"nothing ran", nil, "no phases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&Result{Phases: tt.phases}).Check()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("Check() = %v; want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestTargetsRatios(t *testing.T) {
	yes := true
	r := &Result{IdleRSSMB: 15, Startup: StartupResult{Runs: 1, MedianMS: 12}}
	r.Phases = []PhaseResult{
		{Phase: phasePut, Target: "api", ReqPerSec: 700, P99MS: 4, CPUPerReqUS: 79},
		{Phase: phasePut, Target: "direct", ReqPerSec: 1000, P99MS: 1, CPUPerReqUS: 60},
		{Phase: phaseList(10000), Target: "api", ReqPerSec: 9, Items: 10000, PeakRSSMB: 40, Complete: &yes},
		{Phase: phaseList(10000), Target: "direct", ReqPerSec: 10, Items: 10000},
		{Phase: phaseDelete(10000), Target: "api", P50MS: 600, Complete: &yes},
		{Phase: phaseDelete(10000), Target: "direct", P50MS: 500},
		{Phase: phaseDelete(10000), Target: "direct, 1 DeleteItem at a time", P50MS: 6000},
	}
	r.finish(nil)
	met := map[string]bool{}
	for _, tg := range r.Targets {
		met[tg.Name] = tg.Met
	}
	want := map[string]bool{
		phasePut + ": CPU per request API ÷ SDK client":             true,  // 1.32
		phasePut + ": throughput API ÷ direct":                      true,  // 0.70
		phasePut + ": p99 API ÷ direct":                             false, // 4
		phaseList(10000) + ": rate API ÷ direct Scan":               true,  // 0.90
		phaseList(10000) + ": peak RSS over idle":                   false, // 25 MB
		phaseDelete(10000) + ": time API ÷ Scan+BatchWriteItem":     true,  // 1.2
		phaseDelete(10000) + ": faster than 1 DeleteItem at a time": true,  // 10x
	}
	for name, w := range want {
		if got, ok := met[name]; !ok || got != w {
			t.Errorf("target %q: met=%v (present %v), want %v", name, got, ok, w)
		}
	}
}
