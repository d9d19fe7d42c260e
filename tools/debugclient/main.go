// Command debugclient is the debugger test's client (scripts/debug-test.sh): it attaches to the
// API's delve server over DAP exactly as .vscode/launch.json tells VS Code to, sets a breakpoint
// in the handler of a route, waits until a request hits it, checks a variable's value in that
// frame, clears the breakpoint and lets the request continue, and detaches leaving the API
// running. It prints "ready" on stdout once the breakpoint is set, for the script to send the
// request.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/google/go-dap"
)

type options struct {
	addr, launch, config, pkg, method, route, variable, want string
	timeout                                                  time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "", "delve's address (default: the configuration's host:port)")
	flag.StringVar(&o.launch, "launch", ".vscode/launch.json", "VS Code launch file; its directory's parent is ${workspaceFolder}")
	flag.StringVar(&o.config, "config", "Attach to the API (host)", "configuration name in the launch file")
	flag.StringVar(&o.pkg, "pkg", "src/httpapi", "package directory whose routes name the handler")
	flag.StringVar(&o.method, "method", "Get", "routing method the handler is registered with")
	flag.StringVar(&o.route, "route", "/object/:id", "route of the handler to break in")
	flag.StringVar(&o.variable, "var", "id", "variable to read at the breakpoint")
	flag.StringVar(&o.want, "want", "", "the variable's expected (string) value")
	flag.DurationVar(&o.timeout, "timeout", 90*time.Second, "how long to wait for the server and the hit")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "debugclient: FAIL:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "debugclient: "+format+"\n", args...) }

func run(o options) error {
	if o.want == "" {
		return errors.New("-want is required")
	}
	launch, err := filepath.Abs(o.launch)
	if err != nil {
		return err
	}
	workspace := filepath.Dir(filepath.Dir(launch))
	cfg, err := readLaunchConfig(launch, o.config, workspace)
	if err != nil {
		return err
	}
	if o.addr == "" {
		o.addr = fmt.Sprintf("%s:%d", cfg.Host, cfg.Port)
	}
	bp, err := locateHandler(filepath.Join(workspace, o.pkg), o.method, o.route, o.variable)
	if err != nil {
		return err
	}
	logf("breakpoint %s:%d (handler %s of %s %s)", bp.file, bp.line, bp.handler, o.method, o.route)

	s, err := dial(o.addr, o.timeout, logf)
	if err != nil {
		return err
	}
	defer s.conn.Close()
	const step = 30 * time.Second
	if _, err := s.call("initialize", &dap.InitializeRequest{Arguments: dap.InitializeRequestArguments{
		ClientID: "objects-api-debug-test", AdapterID: "go", PathFormat: "path",
		LinesStartAt1: true, ColumnsStartAt1: true,
	}}, step); err != nil {
		return err
	}
	if _, err := s.call("attach", &dap.AttachRequest{Arguments: cfg.attachArguments()}, step); err != nil {
		return err
	}
	if _, err := s.event("initialized", step); err != nil {
		return err
	}
	if err := setBreakpoint(s, bp.file, bp.line, step); err != nil {
		return err
	}
	if _, err := s.call("configurationDone", &dap.ConfigurationDoneRequest{}, step); err != nil {
		return err
	}
	fmt.Println("ready")

	m, err := s.event("stopped", o.timeout)
	if err != nil {
		return err
	}
	stopped := m.(*dap.StoppedEvent)
	if stopped.Body.Reason != "breakpoint" {
		return fmt.Errorf("stopped for %q, want breakpoint", stopped.Body.Reason)
	}
	if err := checkFrame(s, stopped.Body.ThreadId, bp, o.variable, o.want, step); err != nil {
		return err
	}
	// Clear before continuing: delve keeps a remote session's breakpoints after it detaches.
	if err := setBreakpoint(s, bp.file, 0, step); err != nil {
		return err
	}
	if _, err := s.call("continue", &dap.ContinueRequest{Arguments: dap.ContinueArguments{ThreadId: stopped.Body.ThreadId}}, step); err != nil {
		return err
	}
	logf("continued; detaching, the API keeps running")
	_, err = s.call("disconnect", &dap.DisconnectRequest{Arguments: &dap.DisconnectArguments{TerminateDebuggee: false}}, step)
	return err
}

// setBreakpoint replaces the file's breakpoints by one on line (none when line is 0).
func setBreakpoint(s *session, file string, line int, timeout time.Duration) error {
	args := dap.SetBreakpointsArguments{Source: dap.Source{Path: file}, Breakpoints: []dap.SourceBreakpoint{}}
	if line > 0 {
		args.Breakpoints = append(args.Breakpoints, dap.SourceBreakpoint{Line: line})
	}
	r, err := s.call("setBreakpoints", &dap.SetBreakpointsRequest{Arguments: args}, timeout)
	if err != nil {
		return err
	}
	got := r.(*dap.SetBreakpointsResponse).Body.Breakpoints
	if line > 0 && (len(got) != 1 || !got[0].Verified || got[0].Line != line) {
		return fmt.Errorf("breakpoint %s:%d not verified by delve: %+v", file, line, got)
	}
	return nil
}

// checkFrame asserts that the top frame is the breakpoint's line, mapped back to the host's
// path, and that variable evaluates there to the string want.
func checkFrame(s *session, thread int, bp breakpoint, variable, want string, timeout time.Duration) error {
	r, err := s.call("stackTrace", &dap.StackTraceRequest{Arguments: dap.StackTraceArguments{ThreadId: thread, Levels: 1}}, timeout)
	if err != nil {
		return err
	}
	frames := r.(*dap.StackTraceResponse).Body.StackFrames
	if len(frames) == 0 {
		return errors.New("stopped with no stack frame")
	}
	top := frames[0]
	var path string
	if top.Source != nil {
		path = top.Source.Path
	}
	logf("stopped at %s:%d in %s", path, top.Line, top.Name)
	if path != bp.file || top.Line != bp.line {
		return fmt.Errorf("stopped at %s:%d, want %s:%d", path, top.Line, bp.file, bp.line)
	}
	r, err = s.call("evaluate", &dap.EvaluateRequest{Arguments: dap.EvaluateArguments{Expression: variable, FrameId: top.Id, Context: "watch"}}, timeout)
	if err != nil {
		return err
	}
	got := r.(*dap.EvaluateResponse).Body.Result
	logf("%s = %s", variable, got)
	if got != strconv.Quote(want) {
		return fmt.Errorf("%s = %s in the handler, want %q", variable, got, want)
	}
	return nil
}
