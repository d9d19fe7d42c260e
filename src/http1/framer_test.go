package http1

import "testing"

// TestFramerAcrossReads: the framer's verdict on a head does not depend on how the reads split
// it: a CRLF split between two reads is a line ending, a bare CR or LF is a fault wherever the
// split falls, and the fault is found at the latest when the byte after the CR arrives.
func TestFramerAcrossReads(t *testing.T) {
	for _, tt := range []struct {
		name, head string
		want       *fault
	}{
		{"CRLF line endings", "GET / HTTP/1.1\r\nHost: api\r\nX-A: b\r\n\r\n", nil},
		{"a bare CR ending a header line", "GET / HTTP/1.1\r\nHost: api\rX", errBareCR},
		{"a bare CR inside a header value", "GET / HTTP/1.1\r\nHost: a\rpi\r\n\r\n", errBareCR},
		{"a bare CR before the CRLF", "GET / HTTP/1.1\r\nHost: api\r\r\n", errBareCR},
		{"a bare LF ending the request line", "GET / HTTP/1.1\nHost: api\r\n\r\n", errBareLF},
	} {
		for split := 0; split <= len(tt.head); split++ {
			var f framer
			_, bad := f.scan([]byte(tt.head[:split]))
			if bad == nil {
				_, bad = f.scan([]byte(tt.head[split:]))
			}
			if bad != tt.want {
				t.Errorf("%s, split after %d bytes: fault %v, want %v", tt.name, split, bad, tt.want)
			}
		}
	}
}
