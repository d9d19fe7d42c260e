package testutil

import (
	"context"
	"sort"
	"sync"

	"github.com/acme/objects-api/src/object"
	"github.com/acme/objects-api/src/store"
)

// MemStore is an in-memory stand-in for the DynamoDB store (it implements httpapi.Store), for
// tests of the HTTP layer that need no backend. The zero value is not usable: call NewMemStore.
type MemStore struct {
	// PageSize is how many objects a Scan page holds; 0 means one page for the whole table.
	PageSize int
	// Hook, when set, is called at the start of every operation with its context, its name
	// ("Put", "Get", "Delete", "DeleteAll", "Scan" for each page, "Ready") and the object id
	// ("" when there is none). A non-nil result fails the operation with that error.
	Hook func(ctx context.Context, op, id string) error

	mu   sync.Mutex
	objs map[string]object.Object
}

// NewMemStore returns an empty MemStore holding objs.
func NewMemStore(objs ...object.Object) *MemStore {
	m := &MemStore{objs: make(map[string]object.Object)}
	for _, o := range objs {
		m.objs[o.UUID] = o
	}
	return m
}

func (m *MemStore) hook(ctx context.Context, op, id string) error {
	if m.Hook == nil {
		return nil
	}
	return m.Hook(ctx, op, id)
}

// Put stores o; created reports that no object had its id.
func (m *MemStore) Put(ctx context.Context, o object.Object) (bool, error) {
	if err := m.hook(ctx, "Put", o.UUID); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	_, had := m.objs[o.UUID]
	m.objs[o.UUID] = o
	return !had, nil
}

// Get returns the object id, or store.ErrNotFound.
func (m *MemStore) Get(ctx context.Context, id string) (object.Object, error) {
	if err := m.hook(ctx, "Get", id); err != nil {
		return object.Object{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.objs[id]
	if !ok {
		return object.Object{}, store.ErrNotFound
	}
	return o, nil
}

// Delete removes the object id, or returns store.ErrNotFound.
func (m *MemStore) Delete(ctx context.Context, id string) error {
	if err := m.hook(ctx, "Delete", id); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.objs[id]; !ok {
		return store.ErrNotFound
	}
	delete(m.objs, id)
	return nil
}

// DeleteAll removes every object and returns how many it removed.
func (m *MemStore) DeleteAll(ctx context.Context) (int, error) {
	if err := m.hook(ctx, "DeleteAll", ""); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.objs)
	clear(m.objs)
	return n, nil
}

// Scan walks a snapshot of the objects, in id order, PageSize at a time.
func (m *MemStore) Scan() store.Pages {
	m.mu.Lock()
	defer m.mu.Unlock()
	objs := make([]object.Object, 0, len(m.objs))
	for _, o := range m.objs {
		objs = append(objs, o)
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].UUID < objs[j].UUID })
	return &memPages{m: m, objs: objs, more: true}
}

// Ready answers nil unless Hook fails "Ready".
func (m *MemStore) Ready(ctx context.Context) error { return m.hook(ctx, "Ready", "") }

// Table is a fixed name.
func (m *MemStore) Table() string { return "objects" }

// Len is the number of objects held.
func (m *MemStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.objs)
}

type memPages struct {
	m    *MemStore
	objs []object.Object
	more bool
}

func (p *memPages) More() bool { return p.more }

func (p *memPages) Next(ctx context.Context, dst []object.Object) ([]object.Object, error) {
	if err := p.m.hook(ctx, "Scan", ""); err != nil {
		return dst[:0], err
	}
	if err := ctx.Err(); err != nil {
		return dst[:0], err
	}
	n := len(p.objs)
	if p.m.PageSize > 0 {
		n = min(n, p.m.PageSize)
	}
	dst = append(dst[:0], p.objs[:n]...)
	p.objs = p.objs[n:]
	p.more = len(p.objs) > 0
	return dst, nil
}
