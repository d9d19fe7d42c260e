package httpapi

import (
	"fmt"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// scanSlots bounds the GET /objects lists in progress (LIST_MAX_CONCURRENT). Each list is a
// full-table Scan that spends the table's read capacity, a page buffer and a connection for as
// long as its client reads; past the bound a list is refused at once (503, Retry-After) rather
// than queued, so a burst of lists cannot starve the reads and writes the table also serves.
type scanSlots chan struct{}

func newScanSlots(n int) scanSlots { return make(scanSlots, max(n, 1)) }

// take holds a slot, or reports false when all are held. release frees it; calling release
// again does nothing.
func (s scanSlots) take() (release func(), ok bool) {
	select {
	case s <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-s }) }, true
	default:
		return nil, false
	}
}

// errFull is the refusal when every slot is held: a 503, which errorHandler gives Retry-After.
func (s scanSlots) errFull() error {
	return &apiError{status: fiber.StatusServiceUnavailable, msg: fmt.Sprintf(
		"the server is already sending as many lists of every object (GET /objects) as it may at once (%d); retry shortly", cap(s))}
}

// WithListMaxConcurrent bounds how many GET /objects lists run at once (LIST_MAX_CONCURRENT,
// at least 1); without it the bound is 8.
func WithListMaxConcurrent(n int) Option { return func(o *options) { o.listMaxConcurrent = n } }
