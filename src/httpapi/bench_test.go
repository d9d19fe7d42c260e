package httpapi

import (
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/google/uuid"
	"github.com/valyala/fasthttp"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/object"
)

// The HTTP layer's own cost per request, without DynamoDB: routing, the observe middleware
// (request id, metrics, access log), id parsing, the handler and the response, driven through
// the app's fasthttp handler in process. The store is the in-memory fake, so this is
// the part of `make bench`'s CPU per request that the HTTP layer controls. The access log is
// encoded (JSON) but written to io.Discard: the write to stdout is not counted.
//
//	go test -run '^$' -bench . -benchmem -count 6 ./src/httpapi | tee new.txt; benchstat old.txt new.txt

// benchHandler runs method on /object/{id} through the whole app, b.N times.
func benchHandler(b *testing.B, method string, level slog.Level, want int) {
	logger := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: level}))
	ids, objs := make([]string, 1024), make([]object.Object, 1024)
	for i := range ids {
		objs[i] = object.Object{UUID: uuid.NewString(), TS: "2022-08-25T12:06:56.563581"}
		ids[i] = "/object/" + objs[i].UUID
	}
	h := NewServer(testutil.NewMemStore(objs...), logger).Handler()
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx.Request.Reset()
		ctx.Response.Reset()
		ctx.Request.Header.SetMethod(method)
		ctx.Request.SetRequestURI(ids[i%len(ids)])
		h(&ctx)
		if got := ctx.Response.StatusCode(); got != want {
			b.Fatalf("%s: status %d, want %d: %s", method, got, want, ctx.Response.Body())
		}
	}
}

func BenchmarkPutObject(b *testing.B) {
	b.Run("accesslog=on", func(b *testing.B) { benchHandler(b, "PUT", slog.LevelInfo, 200) })
	b.Run("accesslog=off", func(b *testing.B) { benchHandler(b, "PUT", slog.LevelWarn, 200) })
}

func BenchmarkGetObject(b *testing.B) {
	b.Run("accesslog=on", func(b *testing.B) { benchHandler(b, "GET", slog.LevelInfo, 200) })
	b.Run("accesslog=off", func(b *testing.B) { benchHandler(b, "GET", slog.LevelWarn, 200) })
}

// BenchmarkListPage is the JSON encoding of one Scan page of GET /objects' body.
func BenchmarkListPage(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			page := make([]object.Object, n)
			for i := range page {
				page[i] = object.Object{UUID: uuid.NewString(), TS: "2022-08-25T12:06:56.563581"}
			}
			var buf []byte
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ls := listStream{}
				buf = ls.appendPage(buf[:0], page)
			}
			b.SetBytes(int64(len(buf)))
		})
	}
}
