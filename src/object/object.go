// Package object holds the rules for what the API stores: an object's id (a version-4 UUID in
// canonical form) and its write time's format. The HTTP layer and the data tool both check
// input against these, so a file the tool loads holds only what the API itself could have written.
package object

import (
	"fmt"
	"time"

	"github.com/google/uuid"
)

// ValidIDHint ends every invalid-id message.
const ValidIDHint = "an object id is a version-4 UUID in canonical form, 8-4-4-4-12 hex digits " +
	"with version nibble 4 and variant 8, 9, a or b, e.g. 3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f"

// TSLayout is the write time's format: UTC, always 6 fractional digits, no offset
// (the Python proof of concept's datetime.isoformat()).
const TSLayout = "2006-01-02T15:04:05.000000"

// ParseID checks that raw is a version-4 UUID (RFC 9562: version nibble 4, variant 10xx) in the
// canonical 36-character hyphenated form, in any letter case, and returns it in lowercase.
// The result never shares memory with raw. The error message quotes at most 64 bytes of raw,
// says what is wrong and ends with ValidIDHint.
func ParseID(raw string) (string, error) {
	if len(raw) != 36 {
		return "", invalidID(raw, fmt.Sprintf("it has %d characters, not 36", len(raw)))
	}
	// With 36 characters uuid.Parse accepts only the canonical hyphenated form.
	u, err := uuid.Parse(raw)
	if err != nil {
		return "", invalidID(raw, "it is not hex digits in groups 8-4-4-4-12")
	}
	if v := u.Version(); v != 4 {
		return "", invalidID(raw, fmt.Sprintf("it is a version-%d UUID", v))
	}
	if u.Variant() != uuid.RFC4122 {
		return "", invalidID(raw, "its variant is not RFC 9562's (the 20th hex digit must be 8, 9, a or b)")
	}
	return u.String(), nil
}

func invalidID(raw, why string) error {
	const show = 64
	if len(raw) > show {
		raw = raw[:show] + "..."
	}
	return fmt.Errorf("invalid object id %q: %s; %s", raw, why, ValidIDHint)
}

// TS formats t as a write time (converted to UTC).
func TS(t time.Time) string { return t.UTC().Format(TSLayout) }

// CheckTS returns nil when ts is a write time exactly as the API writes it (TSLayout).
func CheckTS(ts string) error {
	t, err := time.Parse(TSLayout, ts)
	if err != nil || t.Format(TSLayout) != ts {
		return fmt.Errorf("invalid ts %q: a write time is UTC with 6 fractional digits and no offset, "+
			"YYYY-MM-DDTHH:MM:SS.ffffff, e.g. 2026-11-29T08:06:56.563581", clip(ts))
	}
	return nil
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
