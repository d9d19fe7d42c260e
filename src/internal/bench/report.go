package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// targets checks the run against docs/BENCHMARKS.md's targets: ratios to the direct calls measured
// in the same run, and memory, never an absolute time that a machine's speed decides.
func (r *Result) targets() []TargetResult {
	var out []TargetResult
	add := func(name, goal, measured string, met bool) {
		out = append(out, TargetResult{Name: name, Goal: goal, Measured: measured, Met: met})
	}
	for _, ph := range []string{phasePut, phaseGet} {
		a, d := r.phase(ph, "api"), r.phase(ph, "direct")
		if a == nil || d == nil {
			continue
		}
		// Ratios to the bare SDK call measured in the same run: a machine's speed moves both sides.
		cpu := ratio(a.CPUPerReqUS, d.CPUPerReqUS)
		add(ph+": CPU per request API ÷ SDK client", "<= 1.5", fmt.Sprintf("%.2f (%.0f ÷ %.0f µs)", cpu, a.CPUPerReqUS, d.CPUPerReqUS), cpu > 0 && cpu <= 1.5)
		add(ph+": throughput API ÷ direct", ">= 0.60", fmt.Sprintf("%.2f", a.Ratio), a.Ratio >= 0.6)
		p99 := ratio(a.P99MS, d.P99MS)
		add(ph+": p99 API ÷ direct", "<= 1.5", fmt.Sprintf("%.2f (%.2f ÷ %.2f ms)", p99, a.P99MS, d.P99MS), p99 > 0 && p99 <= 1.5)
	}
	var list, del *PhaseResult
	for i := range r.Phases {
		p := &r.Phases[i]
		if p.Target == "api" && strings.HasPrefix(p.Phase, "GET /objects") && (list == nil || p.Items > list.Items) {
			list = p
		}
		if p.Target == "api" && strings.HasPrefix(p.Phase, "DELETE /objects") {
			del = p
		}
	}
	if list != nil {
		add(list.Phase+": complete", "every body lists every item", yes(list.Complete), list.Complete != nil && *list.Complete)
		add(list.Phase+": rate API ÷ direct Scan", ">= 0.85", fmt.Sprintf("%.2f", list.Ratio), list.Ratio >= 0.85)
		growth := list.PeakRSSMB - r.IdleRSSMB
		add(list.Phase+": peak RSS over idle", "<= 20 MB", fmt.Sprintf("%.1f MB (%.1f -> %.1f)", growth, r.IdleRSSMB, list.PeakRSSMB), growth <= 20)
	}
	if del != nil {
		add(del.Phase+": complete", "table empty after", yes(del.Complete), del.Complete != nil && *del.Complete)
		add(del.Phase+": time API ÷ Scan+BatchWriteItem", "<= 1.3", fmt.Sprintf("%.2f", del.Ratio), del.Ratio > 0 && del.Ratio <= 1.3)
		if one := r.phase(del.Phase, "direct, 1 DeleteItem at a time"); one != nil && del.P50MS > 0 {
			x := one.P50MS / del.P50MS
			add(del.Phase+": faster than 1 DeleteItem at a time", ">= 5x", fmt.Sprintf("%.1fx", x), x >= 5)
		}
	}
	return out
}

// ratio is a ÷ b, or 0 when b was not measured.
func ratio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}

func yes(b *bool) string {
	switch {
	case b == nil:
		return "not measured"
	case *b:
		return "yes"
	}
	return "NO"
}

// cell is a table cell: v in format, or empty unless show.
func cell(show bool, format string, v any) string {
	if !show {
		return ""
	}
	return fmt.Sprintf(format, v)
}

// Print writes the one table: the phases, then the targets.
func (r *Result) Print(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "\n%s  %d × %s  Linux %s  %s  load %s\n", r.Date, m.NProc, m.CPUModel, m.Kernel, m.Go, m.LoadAvg)
	fmt.Fprintf(w, "API: start to /readyz 200 %.1f ms (median of %d), idle RSS %.1f MB", r.Startup.MedianMS, r.Startup.Runs, r.IdleRSSMB)
	if r.APIBinaryMB > 0 {
		fmt.Fprintf(w, ", binary %.1f MB", r.APIBinaryMB)
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\ttarget\truns\treqs\treq/s\tp50 ms\tp99 ms\terrors\tCPU/req µs\tpeak RSS MB\tcomplete\tAPI÷direct\t")
	for _, p := range r.Phases {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%.2f\t%.2f\t%d\t%.0f\t%s\t%s\t%s\t\n", p.Phase, p.Target, p.Runs, p.Requests,
			cell(!strings.HasPrefix(p.Phase, "DELETE"), "%.0f", p.ReqPerSec), // DELETE: one request per run, its time is p50
			p.P50MS, p.P99MS, p.Errors, p.CPUPerReqUS, cell(p.Target == "api", "%.1f", p.PeakRSSMB),
			cell(p.Complete != nil, "%s", yes(p.Complete)), cell(p.Ratio > 0, "%.2f", p.Ratio))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nCPU/req: the API process's user+sys (/proc) for target api; the harness's own SDK client for direct.")
	fmt.Fprintln(w, "API÷direct: req/s ratio; for DELETE, ratio of times (p50 = the time of one DELETE of all items).")
	if r.Config["name"] == "smoke" {
		fmt.Fprintln(w, "Smoke run: tiny phases check that the harness works; its timings say nothing about the targets.")
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "target\tgoal\tmeasured\tmet")
	for _, t := range r.Targets {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, t.Goal, t.Measured, yes(&t.Met))
	}
	tw.Flush()
}
