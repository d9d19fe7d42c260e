package httpapi

import (
	"fmt"

	"github.com/google/uuid"
)

// validIDHint is appended to every invalid-id message.
const validIDHint = "an object id is a version-4 UUID in canonical form, 8-4-4-4-12 hex digits " +
	"with version nibble 4 and variant 8, 9, a or b, e.g. 3f2b8c9e-4d1a-4e6b-9c2d-7a8b9c0d1e2f"

// parseID checks that raw is a version-4 UUID (RFC 9562: version nibble 4, variant 10xx) in the
// canonical 36-character hyphenated form, in any letter case, and returns it in lowercase.
// The result never shares memory with raw, which may point into Fiber's reused buffers.
func parseID(raw string) (string, error) {
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
	return &apiError{status: 400, msg: fmt.Sprintf("invalid object id %q: %s; %s", raw, why, validIDHint)}
}
