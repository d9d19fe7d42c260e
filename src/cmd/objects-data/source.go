package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// openRegular opens path for reading and refuses, before reading a byte, anything but a regular
// file: import reads its file twice (it checks every object before writing any), and a FIFO
// would block or stream for ever, /dev/zero never ends, a directory or socket holds no objects.
// O_NONBLOCK keeps the open itself from waiting for a FIFO's writer; a regular file ignores it.
func openRegular(path string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if fi, serr := os.Stat(path); serr == nil && !fi.Mode().IsRegular() { // a socket cannot be opened
			return nil, nil, notRegular(path, fi.Mode())
		}
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = notRegular(path, fi.Mode())
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

func notRegular(path string, m fs.FileMode) error {
	kind := "not a regular file"
	switch {
	case m.IsDir():
		kind = "a directory"
	case m&fs.ModeNamedPipe != 0:
		kind = "a FIFO (named pipe)"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m&fs.ModeDevice != 0:
		kind = "a device"
	}
	return fmt.Errorf("%s is %s: give a regular file (a pipe or device must be saved to a file first)", path, kind)
}

// maxPending bounds what the parse holds of the file at once: one object is under 2.2 KiB even
// with a 2 KiB id, so more than this without the start of the next object is not a data file.
const maxPending = 1 << 20

// errTooLong stops the parse of a value longer than maxPending.
var errTooLong = errors.New("more than 1 MiB without the start of a new object")

// lineReader passes the file to the JSON decoder and counts its lines as the parse moves on,
// each byte once: it keeps the bytes read but not yet counted (about one object plus what the
// decoder has read ahead). It ends the parse when ctx ends (SIGINT, SIGTERM) and when that
// backlog outgrows maxPending, so the parse's memory does not depend on the file.
type lineReader struct {
	ctx     context.Context
	r       io.Reader
	pending []byte // the file's bytes [base, base+len(pending)): read, not yet counted
	base    int64
	line    int // the line byte base is on
	start   int // the line the last value started on (startLine)
}

func (l *lineReader) Read(p []byte) (int, error) {
	if err := l.ctx.Err(); err != nil {
		return 0, err
	}
	if len(l.pending) > maxPending {
		return 0, errTooLong
	}
	n, err := l.r.Read(p)
	l.pending = append(l.pending, p[:n]...)
	return n, err
}

// lineAt is the line of the byte at off (clamped to what was read). Offsets before an earlier
// call's are counted as that one.
func (l *lineReader) lineAt(off int64) int {
	k := int(min(max(off-l.base, 0), int64(len(l.pending))))
	l.line += bytes.Count(l.pending[:k], []byte{'\n'})
	l.pending, l.base = l.pending[k:], l.base+int64(k)
	return l.line
}

// startLine is the line of the first byte at or after off that is not white space or a comma:
// where the value starts that the decoder reads next (its offsets point just past the previous
// token, and the peek of Decoder.More has read up to that byte).
func (l *lineReader) startLine(off int64) int {
	l.start = l.lineAt(off)
	for _, c := range l.pending {
		switch c {
		case '\n':
			l.start++
		case ' ', '\t', '\r', ',':
		default:
			return l.start
		}
	}
	return l.start
}

// end is the offset just past the last byte read.
func (l *lineReader) end() int64 { return l.base + int64(len(l.pending)) }
