package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Run is what one or more `go test -json` streams say about the reliability tests.
type Run struct {
	Rows    []Row
	Results map[string]string // "package test" -> pass, fail or skip
	Fuzz    []*Fuzz
}

// Row is an observation with the test that made it.
type Row struct {
	Observation
	Package, Test string
}

// Fuzz is one `go test -fuzz` run: the last progress line the fuzzing engine printed.
type Fuzz struct {
	Package, Target, Progress, Result string
}

// event is a line of `go test -json` (cmd/test2json).
type event struct {
	Action, Package, Test, Output string
}

var fuzzProgress = regexp.MustCompile(`^fuzz: elapsed: .*execs: .*`)

// Parse reads `go test -json` streams. Output lines that test2json split are joined again
// before they are searched for observations.
func Parse(r io.Reader) (*Run, error) {
	run := &Run{Results: map[string]string{}}
	partial := map[string]string{}
	fuzzing := map[string]*Fuzz{} // package -> the fuzz target it is running
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue // go build output interleaved with the stream
		}
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "pass", "fail", "skip":
			if e.Test != "" {
				run.Results[key] = e.Action
			}
			if f := fuzzing[e.Package]; f != nil && (e.Test == f.Target || e.Test == "") {
				f.Result = e.Action
				delete(fuzzing, e.Package)
			}
		case "output":
			text := partial[key] + e.Output
			if !strings.HasSuffix(text, "\n") {
				partial[key] = text
				continue
			}
			delete(partial, key)
			if err := run.line(e, strings.TrimSuffix(text, "\n"), fuzzing); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
		}
	}
	return run, sc.Err()
}

func (run *Run) line(e event, text string, fuzzing map[string]*Fuzz) error {
	if i := strings.Index(text, marker); i >= 0 {
		var o Observation
		if err := json.Unmarshal([]byte(text[i+len(marker):]), &o); err != nil {
			return fmt.Errorf("observation in %s: %w", e.Test, err)
		}
		run.Rows = append(run.Rows, Row{Observation: o, Package: e.Package, Test: e.Test})
		return nil
	}
	trimmed := strings.TrimSpace(text)
	if strings.HasPrefix(e.Test, "Fuzz") && fuzzing[e.Package] == nil && strings.HasPrefix(trimmed, "fuzz: ") {
		f := &Fuzz{Package: e.Package, Target: e.Test}
		run.Fuzz = append(run.Fuzz, f)
		fuzzing[e.Package] = f
	}
	if f := fuzzing[e.Package]; f != nil && fuzzProgress.MatchString(trimmed) {
		f.Progress = trimmed
	}
	return nil
}
