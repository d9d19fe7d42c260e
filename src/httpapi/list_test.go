package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/contract"
	"github.com/acme/objects-api/src/store"
)

// listIDs GETs /objects over a real connection and returns the ids, failing on any
// incomplete or invalid body.
func listIDs(t *testing.T, base string) map[string]bool {
	t.Helper()
	resp, err := contract.Client(t).Get(base + "/objects")
	if err != nil {
		t.Fatalf("GET /objects: %v", err)
	}
	defer resp.Body.Close()
	var body struct {
		Objects []struct{ UUID, TS string } `json:"objects"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); resp.StatusCode != 200 || err != nil {
		t.Fatalf("GET /objects: %d, %v", resp.StatusCode, err)
	}
	ids := make(map[string]bool, len(body.Objects))
	for _, o := range body.Objects {
		if ids[o.UUID] {
			t.Fatalf("%s listed twice", o.UUID)
		}
		if !tsRE.MatchString(o.TS) {
			t.Fatalf("object %s has ts %q", o.UUID, o.TS)
		}
		ids[o.UUID] = true
	}
	return ids
}

// seedPadded writes n objects padded to about pad bytes each, so the table spans Scan pages.
func seedPadded(t *testing.T, c *dynamodb.Client, table string, n, pad int) map[string]bool {
	t.Helper()
	ids := make(map[string]bool, n)
	padding := strings.Repeat("p", pad)
	for start := 0; start < n; start += 25 {
		var reqs []types.WriteRequest
		for i := start; i < min(start+25, n); i++ {
			id := uuid.NewString()
			ids[id] = true
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
				"uuid": &types.AttributeValueMemberS{Value: id},
				"ts":   &types.AttributeValueMemberS{Value: "2022-08-25T12:06:56.563581"},
				"pad":  &types.AttributeValueMemberS{Value: padding},
			}}})
		}
		if _, err := c.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{
			RequestItems: map[string][]types.WriteRequest{table: reqs}}); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	return ids
}

// scanFaults counts Scan calls and fails those numbered in failOn (1-based).
type scanFaults struct {
	store.API
	calls  atomic.Int64
	failOn map[int64]bool
}

var errInjected = errors.New("injected Scan failure")

func (s *scanFaults) Scan(ctx context.Context, in *dynamodb.ScanInput, o ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	if s.failOn[s.calls.Add(1)] {
		return nil, errInjected
	}
	return s.API.Scan(ctx, in, o...)
}

func TestListMoreThanOneMegabyte(t *testing.T) {
	f := newFixture(t)
	want := seedPadded(t, f.client, f.table, 130, 10_000) // ~1.3 MB: at least two Scan pages
	faults := &scanFaults{API: f.client}
	g := newFixtureWith(t, faults, f.table, "")
	got := listIDs(t, g.listen(t))
	if len(got) != len(want) {
		t.Fatalf("listed %d objects, want %d", len(got), len(want))
	}
	for id := range want {
		if !got[id] {
			t.Fatalf("%s missing from the list", id)
		}
	}
	if n := faults.calls.Load(); n < 2 {
		t.Fatalf("%d Scan calls: the table did not span pages, so streaming was not exercised", n)
	}
}

func TestListAbortsMidStream(t *testing.T) {
	f := newFixture(t)
	seedPadded(t, f.client, f.table, 130, 10_000)
	g := newFixtureWith(t, &scanFaults{API: f.client, failOn: map[int64]bool{2: true}}, f.table, "")
	resp, err := contract.Client(t).Get(g.listen(t) + "/objects")
	if err != nil {
		t.Fatalf("GET /objects: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: the first page was fine, so headers should say 200", resp.StatusCode)
	}
	body, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Fatalf("body read completed (%d bytes); want a failed transfer", len(body))
	}
	if json.Valid(body) {
		t.Fatal("the truncated body is valid JSON")
	}
}

func TestListBackendDownFromTheStart(t *testing.T) {
	f := newFixture(t)
	g := newFixtureWith(t, &scanFaults{API: f.client, failOn: map[int64]bool{1: true}}, f.table, "")
	r := g.do(t, "GET", "/objects")
	if r.status < 500 {
		t.Fatalf("status %d, want 5xx", r.status)
	}
	wantJSONError(t, r, r.status, "injected")
}

func TestListItemsWrittenByOtherPrograms(t *testing.T) {
	f := newFixture(t)
	_, err := f.client.PutItem(context.Background(), &dynamodb.PutItemInput{
		TableName: aws.String(f.table),
		Item: map[string]types.AttributeValue{
			"uuid": &types.AttributeValueMemberS{Value: "not-a-uuid \"quoted\" \x01"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := f.do(t, "GET", "/objects")
	if r.status != 200 || !json.Valid([]byte(r.body)) || !strings.Contains(r.body, `"ts":null`) {
		t.Fatalf("an item written by another program must still list as valid JSON: %d %s", r.status, r.body)
	}
}
