// Package contract checks HTTP exchanges with the API against its OpenAPI document
// (src/openapi/openapi.yaml) with pb33f/libopenapi-validator, so a handler that drifts from the
// document fails the tests that exercise it.
//
// The rules: a request the document rejects (unknown path or method, an id that does not match
// the pattern) must get a 4xx JSON error; a request it accepts must not get 400 or 405, and its
// response must match the document.
package contract

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/errors"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/openapi"
)

// mu guards the validator: its caches are not documented as safe for concurrent use.
var mu sync.Mutex

// load parses the document and builds its validator, once.
var load = sync.OnceValues(func() (validator.Validator, error) {
	doc, err := libopenapi.NewDocument(openapi.YAML())
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return v, nil
})

// Check validates one exchange; body is the response body already read.
func Check(t testing.TB, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	v, err := load()
	if err != nil {
		t.Fatalf("contract: loading the OpenAPI document: %v", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	mu.Lock()
	reqOK, reqErrs := v.ValidateHttpRequest(req)
	mu.Unlock()
	status := resp.StatusCode
	// The validator forgives a trailing or doubled slash; OpenAPI paths match exactly, as the
	// API's routes do.
	if p := req.URL.Path; p != "/" && path.Clean(p) != p {
		reqOK, reqErrs = false, append(reqErrs, &errors.ValidationError{Message: "path " + p + " is not in canonical form"})
	}
	if !reqOK {
		// The document says nothing of the responses to requests it does not accept: they
		// must be refused, as JSON errors.
		var e map[string]any
		if status < 400 || status >= 500 {
			t.Errorf("contract: %s %s answered %d, but the document rejects the request: %s", req.Method, req.URL, status, describe(reqErrs))
		} else if err := json.Unmarshal(body, &e); err != nil || len(e) != 1 || e["error"] == nil {
			t.Errorf("contract: %s %s answered %d with %q, not a JSON error body", req.Method, req.URL, status, testutil.Clip(body))
		}
		return
	}
	// A percent-encoded id is refused (the id must be sent as it is), which a path pattern
	// cannot say: the validator matches the decoded value.
	encodedID := strings.Contains(req.URL.EscapedPath(), "%") && status == http.StatusBadRequest
	if (status == http.StatusBadRequest || status == http.StatusMethodNotAllowed) && !encodedID {
		t.Errorf("contract: %s %s answered %d, but the document accepts the request", req.Method, req.URL, status)
	}
	if encodedID {
		return
	}
	mu.Lock()
	ok, respErrs := v.ValidateHttpResponse(req, resp)
	mu.Unlock()
	if !ok {
		t.Errorf("contract: %s %s answered %d %q, which the document does not allow: %s", req.Method, req.URL, status, testutil.Clip(body), describe(respErrs))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
}

func describe(errs []*errors.ValidationError) string {
	var b bytes.Buffer
	for _, e := range errs {
		b.WriteString(e.Message + ": " + e.Reason)
		for _, s := range e.SchemaValidationErrors {
			b.WriteString("; " + s.Reason + " at " + s.FieldPath)
		}
		b.WriteString(". ")
	}
	return b.String()
}

// Client is an HTTP client that checks every exchange it makes against the document.
func Client(t testing.TB) *http.Client {
	return &http.Client{Transport: &transport{t: t, next: http.DefaultTransport}}
}

// ListIDs GETs base/objects through Client (so the document checks the body, every ts included)
// and returns the ids, failing on another status, a body that does not decode, or an id listed
// twice.
func ListIDs(t testing.TB, base string) map[string]bool {
	t.Helper()
	resp, err := Client(t).Get(base + "/objects")
	if err != nil {
		t.Fatalf("GET /objects: %v", err)
	}
	defer resp.Body.Close()
	var body struct{ Objects []struct{ UUID string } }
	if err := json.NewDecoder(resp.Body).Decode(&body); resp.StatusCode != 200 || err != nil {
		t.Fatalf("GET /objects: %d, %v", resp.StatusCode, err)
	}
	ids := make(map[string]bool, len(body.Objects))
	for _, o := range body.Objects {
		if ids[o.UUID] {
			t.Fatalf("%s listed twice", o.UUID)
		}
		ids[o.UUID] = true
	}
	return ids
}

type transport struct {
	t    testing.TB
	next http.RoundTripper
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := tr.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		// An aborted stream cannot be validated; hand the failure to the caller, as it happened.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
		return resp, nil
	}
	Check(tr.t, req, resp, body)
	return resp, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
