package object

import (
	"testing"
	"time"
)

// CheckTS accepts exactly what TS writes: UTC, 6 fractional digits, no offset.
// (ParseID is fuzzed against an independent regular expression in src/httpapi.)
func TestCheckTS(t *testing.T) {
	written := TS(time.Date(2026, 11, 29, 9, 6, 56, 563581000, time.FixedZone("CET", 3600)))
	if written != "2026-11-29T08:06:56.563581" {
		t.Fatalf("TS = %q, want the UTC time 2026-11-29T08:06:56.563581", written)
	}
	for _, tc := range []struct {
		ts string
		ok bool
	}{
		{written, true},
		{"2026-11-29T08:06:56.000000", true},
		{"2026-11-29T08:06:56.563581Z", false},
		{"2026-11-29T08:06:56.563581+00:00", false},
		{"2026-11-29T08:06:56.563", false},
		{"2026-11-29T08:06:56", false},
		{"2026-11-29 08:06:56.563581", false},
		{"2026-02-30T08:06:56.563581", false},
		{"", false},
	} {
		if err := CheckTS(tc.ts); (err == nil) != tc.ok {
			t.Errorf("CheckTS(%q) = %v, want ok=%v", tc.ts, err, tc.ok)
		}
	}
}
