package store

import "time"

// ShortenRetry makes the UnprocessedItems retries quick, for tests that exhaust them.
func (s *Store) ShortenRetry() {
	s.retry = backoff{attempts: 3, first: time.Millisecond, max: time.Millisecond}
}
