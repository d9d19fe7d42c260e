package store_test

import (
	"context"
	"fmt"
	"github.com/acme/objects-api/src/internal/testutil"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/uuid"

	"github.com/acme/objects-api/src/object"
	"github.com/acme/objects-api/src/store"
)

// The store's calls against the test backend (dynalite, another process), 8 at a time as in
// `make bench`. Besides ns/op (mostly the backend's latency) and -benchmem's allocations, each
// reports cpu-µs/op: this process's user+sys CPU per call, i.e. what the SDK client costs the
// API per DynamoDB call. Compare versions with benchstat (docs/BENCHMARKS.md).
//
//	go test -run '^$' -bench . -benchmem -count 6 ./src/store

func benchStore(b *testing.B) (*store.Store, *dynamodb.Client) {
	b.Helper()
	ep := testutil.Endpoint(b)
	c := testutil.Client(b, ep)
	table := testutil.CreateTable(b, c, "uuid")
	return store.New(c, cfg(table, "uuid")), c
}

// parallel runs op from 8 goroutines (4 per core on the 2-core reference machine) and reports
// CPU per op.
func parallel(b *testing.B, op func(i int) error) {
	b.Helper()
	b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	cpu0 := cpuTime(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			if err := op(i); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

func BenchmarkPut(b *testing.B) {
	s, _ := benchStore(b)
	ctx := context.Background()
	parallel(b, func(int) error {
		_, err := s.Put(ctx, object.Object{UUID: uuid.NewString(), TS: "2022-08-25T12:06:56.563581"})
		return err
	})
}

func BenchmarkGet(b *testing.B) {
	s, _ := benchStore(b)
	ctx := context.Background()
	ids := seedStore(b, s, 1000)
	parallel(b, func(i int) error {
		_, err := s.Get(ctx, ids[i%len(ids)])
		return err
	})
}

// BenchmarkScan reads a whole table of n objects page by page: the store's half of GET /objects.
func BenchmarkScan(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s, _ := benchStore(b)
			seedStore(b, s, n)
			ctx := context.Background()
			var page []object.Object
			b.ReportAllocs()
			cpu0 := cpuTime(b)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				got := 0
				for p := s.Scan(); p.More(); {
					var err error
					if page, err = p.Next(ctx, page); err != nil {
						b.Fatal(err)
					}
					got += len(page)
				}
				if got != n {
					b.Fatalf("scanned %d objects, want %d", got, n)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// seedStore puts n objects, 8 at a time, and returns their ids.
func seedStore(b *testing.B, s *store.Store, n int) []string {
	b.Helper()
	ids := make([]string, n)
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		go func(w int) {
			var err error
			for i := w; i < n && err == nil; i += 8 {
				ids[i] = uuid.NewString()
				_, err = s.Put(context.Background(), object.Object{UUID: ids[i], TS: "2022-08-25T12:06:56.563581"})
			}
			errs <- err
		}(w)
	}
	for w := 0; w < 8; w++ {
		if err := <-errs; err != nil {
			b.Fatalf("seeding: %v", err)
		}
	}
	return ids
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
