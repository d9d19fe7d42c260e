package report

import (
	"strings"
	"testing"
)

// A go test -json stream: an observation split across two output events (as test2json does
// with long lines), a failing test, a subtest observation, and a fuzz run's progress lines.
const stream = `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"    a_test.go:9: reliability-observation: {\"section\":\"Limits\",\"class\":\"Bo"}
{"Action":"output","Package":"p","Test":"TestA","Output":"dy | big\",\"does\":\"PUT\",\"observed\":\"413\"}\n"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestB/sub","Output":"    b_test.go:3: reliability-observation: {\"section\":\"Bad input\",\"class\":\"nil\",\"does\":\"GET\",\"observed\":\"400\"}\n"}
{"Action":"fail","Package":"p","Test":"TestB/sub"}
{"Action":"fail","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Test":"FuzzX","Output":"fuzz: elapsed: 0s, gathering baseline coverage: 0/3 completed\n"}
{"Action":"output","Package":"p","Test":"FuzzX","Output":"fuzz: elapsed: 3s, execs: 100 (33/sec), new interesting: 1 (total: 4)\n"}
{"Action":"pass","Package":"p","Test":"FuzzX"}
`

func TestParseAndRender(t *testing.T) {
	run, err := Parse(strings.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Rows) != 2 || run.Rows[0].Class != "Body | big" || run.Rows[0].Test != "TestA" || run.Rows[1].Test != "TestB/sub" {
		t.Fatalf("rows %+v", run.Rows)
	}
	if len(run.Fuzz) != 1 || run.Fuzz[0].Result != "pass" || !strings.Contains(run.Fuzz[0].Progress, "execs: 100") {
		t.Fatalf("fuzz %+v", run.Fuzz)
	}
	problems := strings.Join(run.Problems(), "\n")
	for _, want := range []string{"p TestB/sub: fail", "p TestB: fail", `section "Backend faults": no observations`} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems do not mention %q:\n%s", want, problems)
		}
	}
	var b strings.Builder
	if err := run.Render(&b, Meta{Command: "make reliability", Date: "d", Commit: "c"}); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{`| Body \| big | PUT | 413 | ` + "`p.TestA`" + ` | pass |`, "| nil | GET | 400 | `p.TestB/sub` | **fail** |", "**5 problem(s)**", "execs: 100"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}
