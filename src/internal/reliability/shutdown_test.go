package reliability

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/dynalitetest"
	"github.com/acme/objects-api/src/internal/faultproxy"
	"github.com/acme/objects-api/src/internal/reliability/report"
)

// TestShutdownWithRequestInFlight: graceful shutdown (what main does on SIGTERM) while a PUT is
// waiting for DynamoDB, a keep-alive connection is idle and another connection was opened but
// never sent a request. The PUT must be answered and stored, and shutdown must finish as soon
// as it is, not after a timeout.
func TestShutdownWithRequestInFlight(t *testing.T) {
	ep := dynalitetest.Endpoint(t)
	c := dynalitetest.Client(t, ep)
	table := dynalitetest.CreateTable(t, c, "uuid")
	leaks := leakCheck()
	proxy := faultproxy.Start(t, ep)
	a := startAPI(t, proxy.URL(), table, 10*time.Second)

	unused, err := net.Dial("tcp", a.base[len("http://"):])
	if err != nil {
		t.Fatal(err)
	}
	defer unused.Close()
	if r := a.do("GET", "/healthz"); r.status != 200 { // leaves an idle keep-alive connection
		t.Fatalf("healthz: %d %v", r.status, r.err)
	}
	const delay = 1500 * time.Millisecond
	proxy.SetDelay(delay)
	id := uuid.NewString()
	put := make(chan reply, 1)
	go func() { put <- a.do("PUT", "/object/"+id) }()
	for deadline := time.Now().Add(10 * time.Second); proxy.Calls("PutItem") == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the PUT did not reach DynamoDB within 10s")
		}
	}

	start := time.Now()
	const timeout = 10 * time.Second // main's shutdownTimeout
	err = a.app.ShutdownWithTimeout(timeout)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("shutdown with a request in flight and an unused connection open: %v after %s", err, took)
	}
	if took > delay+3*time.Second {
		t.Fatalf("shutdown took %s; the only request in flight needed about %s", took, delay)
	}
	if err := <-a.served; err != nil {
		t.Fatalf("serving ended with %v", err)
	}
	a.served = nil
	r := <-put
	if r.status != 201 {
		t.Fatalf("the PUT in flight at shutdown: %d %s %v; want 201", r.status, r.body, r.err)
	}
	out, err := c.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: &table, ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"uuid": &types.AttributeValueMemberS{Value: id}},
	})
	if err != nil || out.Item == nil {
		t.Fatalf("the PUT acknowledged during shutdown is not stored: %v", err)
	}
	_ = unused.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := unused.Read(make([]byte, 1)); err == nil || isTimeout(err) {
		t.Fatalf("the unused connection is still open after shutdown (read %d, %v)", n, err)
	}
	a.client.CloseIdleConnections()
	proxy.Close()
	if err := leaks(); err != nil {
		t.Fatalf("goroutines left after shutdown: %v", err)
	}
	report.Record(t, report.NothingLost, "Graceful shutdown (SIGTERM) with a request in flight",
		fmt.Sprintf("a PUT waits %s for DynamoDB (delaying proxy); meanwhile one idle keep-alive connection and one connection that never sent a request; shut down with main's %s timeout; goleak", delay, timeout),
		fmt.Sprintf("shutdown returned nil after %s; the PUT was answered 201 and is stored; the unused connection was closed; no goroutine left", took.Round(time.Millisecond)))
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
