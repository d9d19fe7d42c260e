package reliability

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/dynalitetest"
	"github.com/acme/objects-api/src/internal/faultproxy"
	"github.com/acme/objects-api/src/internal/reliability/report"
)

// seed writes n objects directly (not through the API), each padded with pad bytes.
func seed(t *testing.T, c *dynamodb.Client, table string, n, pad int) {
	t.Helper()
	padding := strings.Repeat("p", pad)
	for start := 0; start < n; start += 25 {
		var reqs []types.WriteRequest
		for i := start; i < min(start+25, n); i++ {
			item := map[string]types.AttributeValue{
				"uuid": &types.AttributeValueMemberS{Value: uuid.NewString()},
				"ts":   &types.AttributeValueMemberS{Value: "2022-08-25T12:06:56.563581"},
			}
			if pad > 0 {
				item["pad"] = &types.AttributeValueMemberS{Value: padding}
			}
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		}
		out, err := c.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{
			RequestItems: map[string][]types.WriteRequest{table: reqs}})
		if err != nil || len(out.UnprocessedItems) > 0 {
			t.Fatalf("seed: %v (%d tables with unprocessed items)", err, len(out.UnprocessedItems))
		}
	}
}

// count is the number of items in table, read directly.
func count(t *testing.T, c *dynamodb.Client, table string) int {
	t.Helper()
	n := 0
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: &table, Select: types.SelectCount})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("count: %v", err)
		}
		n += int(out.Count)
	}
	return n
}

// TestUnprocessedItemsRetried: BatchWriteItem leaves half of each batch unprocessed for the first
// calls; DELETE /objects must retry them until every object is gone and only then say so.
func TestUnprocessedItemsRetried(t *testing.T) {
	ep := dynalitetest.Endpoint(t)
	c := dynalitetest.Client(t, ep)
	table := dynalitetest.CreateTable(t, c, "uuid")
	const n = 60
	seed(t, c, table, n, 0)
	proxy := faultproxy.Start(t, ep)
	const throttled = 4
	proxy.HoldBack(func(call, reqs int) int {
		if call <= throttled {
			return (reqs + 1) / 2
		}
		return 0
	})
	a := startAPI(t, proxy.URL(), table, 5*time.Second)
	r := a.do("DELETE", "/objects")
	if want := fmt.Sprintf(`{"msg":"Objects deleted","deleted":%d}`, n); r.status != 200 || r.body != want {
		t.Fatalf("DELETE /objects: %d %s %v; want 200 %s", r.status, r.body, r.err, want)
	}
	if left := count(t, c, table); left != 0 {
		t.Fatalf("%d objects left after \"Objects deleted\"", left)
	}
	calls := proxy.Calls("BatchWriteItem")
	if minCalls := (n+24)/25 + throttled; calls < minCalls {
		t.Fatalf("%d BatchWriteItem calls; at least %d expected (the unprocessed halves were not retried)", calls, minCalls)
	}
	report.Record(t, report.BackendFaults, "BatchWriteItem returns UnprocessedItems, then recovers",
		fmt.Sprintf("%d objects; a proxy leaves half of each batch unprocessed in the first %d BatchWriteItem calls; DELETE /objects; count the table directly", n, throttled),
		fmt.Sprintf("200 %s after %d BatchWriteItem calls; 0 objects left", r.body, calls))
}

// TestUnprocessedItemsForever: one write request of every batch stays unprocessed for ever;
// DELETE /objects must give up with a bounded 5xx, never claim "Objects deleted", and say how
// many objects it deleted, truthfully.
func TestUnprocessedItemsForever(t *testing.T) {
	ep := dynalitetest.Endpoint(t)
	c := dynalitetest.Client(t, ep)
	table := dynalitetest.CreateTable(t, c, "uuid")
	const n = 60
	seed(t, c, table, n, 0)
	proxy := faultproxy.Start(t, ep)
	proxy.HoldBack(func(call, reqs int) int { return 1 })
	a := startAPI(t, proxy.URL(), table, 5*time.Second)
	r := a.do("DELETE", "/objects")
	msg := wantError(t, "DELETE /objects while BatchWriteItem never finishes", r, 503, "unprocessed")
	if strings.Contains(r.body, "Objects deleted") {
		t.Fatalf("a failed DELETE /objects says %s", r.body)
	}
	if r.took > 15*time.Second {
		t.Fatalf("DELETE /objects took %s to give up; want a bounded retry (store.DefaultBackoff waits about 3s)", r.took)
	}
	left := count(t, c, table)
	if left == 0 || left == n {
		t.Fatalf("%d of %d objects left; the proxy let all but one request per batch through", left, n)
	}
	claimed := deletedCount.FindStringSubmatch(msg)
	if claimed == nil {
		t.Fatalf("the error does not say how many objects were deleted: %q", msg)
	}
	if got, _ := strconv.Atoi(claimed[1]); got != n-left {
		t.Errorf("product bug: the error says %d objects were deleted and the rest remain, but %d were deleted "+
			"(%d of %d remain): DeleteAll counts a batch only when all of it succeeded (%q)", got, n-left, left, n, msg)
	}
	report.Record(t, report.BackendFaults, "BatchWriteItem leaves items unprocessed for ever",
		fmt.Sprintf("%d objects; a proxy holds back one write request of every BatchWriteItem call; DELETE /objects; count the table directly", n),
		fmt.Sprintf("503 after %s: %q; %d objects left; never \"Objects deleted\"", r.took.Round(time.Millisecond), msg, left))
}

var deletedCount = regexp.MustCompile(`\((\d+) objects were deleted before the failure`)
