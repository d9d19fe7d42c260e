// Package report carries what the reliability tests observe into docs/RELIABILITY.md: a test
// calls Record, which writes one marked JSON line to the test log; mkreport reads the
// `go test -json` stream, joins each observation with its test's result, and renders the page.
// Nothing in the page is written by hand.
package report

import (
	"encoding/json"
	"strings"
	"testing"
)

// Sections of the report, in order.
const (
	BadInput      = "Bad input"
	Limits        = "Limits"
	BackendFaults = "Backend faults"
	NothingLost   = "Nothing lost"
	SupplyChain   = "Containers and supply chain"
)

// Sections lists the sections in the order the report shows them.
var Sections = []string{BadInput, Limits, BackendFaults, NothingLost, SupplyChain}

// marker starts an observation's log line.
const marker = "reliability-observation: "

// Observation is one fault or input class as a test exercised it.
type Observation struct {
	Section  string `json:"section"`
	Class    string `json:"class"`    // the fault or input class, e.g. "nil UUID"
	Does     string `json:"does"`     // what the test does
	Observed string `json:"observed"` // what the API did, measured in this run
}

// maxField bounds each field so that a line stays well under test2json's line length.
const maxField = 600

// Record logs o for the report. Call it after the assertions that o describes, so that a
// test that fails before reaching them shows as failed rather than as an observation.
func Record(t testing.TB, section, class, does, observed string) {
	t.Helper()
	o := Observation{Section: section, Class: clip(class), Does: clip(does), Observed: clip(observed)}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	t.Log(marker + string(b))
}

func clip(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) > maxField {
		s = strings.ToValidUTF8(s[:maxField], "") + "..."
	}
	return s
}
