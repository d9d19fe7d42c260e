package http1

import "bytes"

// framer follows the bytes a connection reads as RFC 9112 frames requests (heads, then
// Content-Length or chunked bodies), for one purpose: fasthttp v1.79 ends a head only at
// CRLFCRLF, so a head whose lines (or whose final empty line) end in a bare LF or a bare CR
// makes it wait for ReadTimeout (30 s) and answer 408; framingFault sees bare LFs only once a
// CRLFCRLF has arrived. The framer finds them as they arrive, so the request is refused at
// once. Whatever it does not follow exactly (folded lines, a Content-Length or
// Transfer-Encoding that fasthttp or framingFault refuses, a chunk line it cannot parse) turns
// it off for the connection: fasthttp and framingFault refuse those and close.
type framer struct {
	state      int
	line       []byte // the head, chunk or trailer line so far (bounded by maxHeadBytes)
	started    bool   // the request line has been seen
	hasLength  bool   // a Content-Length has been seen
	length     int64  // its value
	chunked    bool   // Transfer-Encoding: chunked has been seen
	dataToSkip int64  // body or chunk bytes still to come
	lines      requestLines
}

// requestLines is what a framer has seen of request lines, for Guard to say which request it
// refuses once fasthttp no longer holds its head (fasthttp discards a request whose body or
// head it cannot read): how many have ended, and the start of the last.
type requestLines struct {
	ended int
	last  []byte // at most keptLineBytes
}

// keptLineBytes is how much of a request line is kept: enough for a log line.
const keptLineBytes = 128

func (r *requestLines) note(line []byte) {
	r.ended++
	r.last = append(r.last[:0], line[:min(len(line), keptLineBytes)]...)
}

const (
	inHead = iota
	inBody
	inChunkLine
	inChunkData
	inTrailer
	off
)

// scan follows p and returns how many of its bytes are good: len(p), or the offset at which a
// head line breaks RFC 9112 §2.2; bad then says how (errBareLF or errBareCR).
func (f *framer) scan(p []byte) (good int, bad *fault) {
	for i := 0; i < len(p); {
		switch f.state {
		case off:
			return len(p), nil
		case inBody, inChunkData:
			n := min(int64(len(p)-i), f.dataToSkip)
			f.dataToSkip -= n
			i += int(n)
			if f.dataToSkip == 0 && f.state == inBody {
				f.reset()
			} else if f.dataToSkip == 0 {
				f.state = inChunkLine
			}
			continue
		}
		j := bytes.IndexByte(p[i:], '\n')
		if j < 0 {
			cr := f.state == inHead && bareCR(f.line, p[i:])
			f.appendLine(p[i:]) // kept as the request line in progress (requestLine)
			if cr {
				return i, errBareCR
			}
			return len(p), nil
		}
		line := p[i : i+j]
		if len(f.line) > 0 { // the line began in an earlier read
			f.appendLine(line)
			line = f.line
		}
		f.line = f.line[:0]
		if f.state == off {
			return len(p), nil
		}
		line, crlf := bytes.CutSuffix(line, []byte{'\r'})
		if f.state == inHead && !f.started && len(line) > 0 {
			f.lines.note(line) // before its checks: a refused line is what the refusal is about
		}
		switch {
		case f.state != inHead:
		case !crlf:
			return i + j, errBareLF
		case bytes.IndexByte(line, '\r') >= 0:
			return i, errBareCR
		}
		if !crlf {
			f.state = off // fasthttp refuses a bare LF in a chunk line; trailers: as net/http
		} else {
			f.endLine(line)
		}
		i += j + 1
	}
	return len(p), nil
}

// bareCR reports whether a head line still in progress (line so far, then more, which holds no
// LF) has a CR followed by something other than LF. A CR at the end of more may yet be.
func bareCR(line, more []byte) bool {
	return len(line) > 0 && line[len(line)-1] == '\r' || bytes.IndexByte(more[:len(more)-1], '\r') >= 0
}

// appendLine adds b to the current line, or turns the framer off if the line grows over
// maxHeadBytes (fasthttp answers 414 or 431).
func (f *framer) appendLine(b []byte) {
	if len(f.line)+len(b) > maxHeadBytes {
		f.state = off
		return
	}
	f.line = append(f.line, b...)
}

// endLine handles one complete line (without its CRLF).
func (f *framer) endLine(line []byte) {
	switch f.state {
	case inHead:
		f.headLine(line)
	case inChunkLine:
		size, ok := chunkSize(line)
		switch {
		case !ok:
			f.state = off
		case size == 0:
			f.state = inTrailer
		default:
			f.state, f.dataToSkip = inChunkData, size+2 // the data and its CRLF
		}
	case inTrailer:
		if len(line) == 0 {
			f.reset()
		}
	}
}

// headLine handles a request line or header line, or the empty line ending the head.
func (f *framer) headLine(line []byte) {
	switch {
	case len(line) == 0 && !f.started: // an empty line before the request line (RFC 9112 §2.2)
	case len(line) == 0 && f.chunked && f.hasLength:
		f.state = off // framingFault refuses it
	case len(line) == 0 && f.chunked:
		f.state = inChunkLine
	case len(line) == 0 && f.length > 0:
		f.state, f.dataToSkip = inBody, f.length
	case len(line) == 0:
		f.reset()
	case !f.started:
		f.started = true
	case line[0] == ' ' || line[0] == '\t':
		f.state = off // an obs-fold line (RFC 9112 §5.2): fasthttp joins it to the previous one
	case line[0]|0x20 != 'c' && line[0]|0x20 != 't': // neither field below
	case isField(line, "content-length"):
		n, ok := decimal(bytes.Trim(line[len("content-length:"):], " \t"))
		if !ok || f.hasLength {
			f.state = off // fasthttp refuses it
		}
		f.hasLength, f.length = true, n
	case isField(line, "transfer-encoding"):
		if f.chunked || !bytes.EqualFold(bytes.Trim(line[len("transfer-encoding:"):], " \t"), []byte("chunked")) {
			f.state = off // fasthttp or framingFault refuses it
		}
		f.chunked = true
	}
}

// reset waits for the next request.
func (f *framer) reset() { *f = framer{line: f.line[:0], lines: f.lines} }

// decimal parses a Content-Length value: digits only, at most 18 of them.
func decimal(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// chunkSize parses a chunk-size line: hex digits, then optionally a chunk extension.
func chunkSize(line []byte) (int64, bool) {
	var n int64
	i := 0
	for ; i < len(line) && i < 15; i++ {
		c := line[i] | 0x20
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | int64(c-'0')
		case c >= 'a' && c <= 'f':
			n = n<<4 | int64(c-'a'+10)
		default:
			return n, i > 0 && (line[i] == ';' || line[i] == ' ' || line[i] == '\t')
		}
	}
	return n, i > 0 && i == len(line)
}
