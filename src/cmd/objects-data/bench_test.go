package main

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
)

// BenchmarkCheck is import's first pass (every object parsed, checked by the API's rules, ids
// kept to refuse one seen twice) over files it generates. Besides time and allocations it
// reports the process's peak RSS (maxrss-MB, the whole test process's, generation included).
// The target: 1,000,000 objects in under 10 s and 100 MB.
//
//	go test -run '^$' -bench Check -benchmem -count 6 ./src/cmd/objects-data
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			file := writeFile(b, n)
			fi, err := os.Stat(file)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(fi.Size())
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				f, _, err := openRegular(file)
				if err != nil {
					b.Fatal(err)
				}
				var got atomic.Int64
				c, err := checkObjects(context.Background(), f, false, &got)
				_ = f.Close()
				if err != nil || c.n != n {
					b.Fatalf("check: %d objects, %v; want %d", c.n, err, n)
				}
			}
			b.StopTimer()
			var ru syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MB") // Linux: KiB
		})
	}
}
