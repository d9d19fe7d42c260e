package httpapi

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/store"
)

// partialStore's DeleteAll fails after deleting n objects, as the store's does when DynamoDB
// fails or the request's time runs out mid-way.
type partialStore struct {
	*testutil.MemStore
	n   int
	err error
}

func (p *partialStore) DeleteAll(context.Context) (int, error) { return p.n, p.err }

// TestDeleteAllFailureSaysDeletedAtLeast: a DELETE /objects that stops mid-way answers its 5xx
// with the store's message and, as a number, the lower bound on what it deleted.
func TestDeleteAllFailureSaysDeletedAtLeast(t *testing.T) {
	st := &partialStore{MemStore: testutil.NewMemStore(), n: 7, err: &store.Error{Kind: store.Timeout, Op: "DeleteAll",
		Msg: "deleting every object took longer than its time limit; at least 7 objects were deleted before that"}}
	f := &fixture{app: NewServer(st, quietLogger()), store: st.MemStore}
	r := f.do(t, "DELETE", "/objects") // the contract check holds the body to the document
	wantJSONError(t, r, 504, "at least 7 objects were deleted")
	var body struct {
		DeletedAtLeast *int `json:"deleted_at_least"`
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil || body.DeletedAtLeast == nil || *body.DeletedAtLeast != 7 {
		t.Fatalf("body %s; want deleted_at_least 7", r.body)
	}
}
