package faultproxy

import (
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/http"
	"strconv"
)

// heldBack is the part of a BatchWriteItem call the proxy did not forward.
type heldBack struct {
	table string
	reqs  []json.RawMessage
	all   bool // nothing was forwarded
}

// holdBack removes the last hold(call, n) write requests from a BatchWriteItem body (a single
// table's, as the API sends) and returns the body to forward and what it held back.
func holdBack(body []byte, call int, hold func(call, n int) int) ([]byte, *heldBack, error) {
	var in map[string]json.RawMessage
	var items map[string][]json.RawMessage
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, nil, fmt.Errorf("faultproxy: BatchWriteItem body: %w", err)
	}
	if err := json.Unmarshal(in["RequestItems"], &items); err != nil {
		return nil, nil, fmt.Errorf("faultproxy: BatchWriteItem RequestItems: %w", err)
	}
	if len(items) != 1 {
		return nil, nil, fmt.Errorf("faultproxy: BatchWriteItem writes %d tables; the API writes one", len(items))
	}
	for table, reqs := range items {
		k := min(max(hold(call, len(reqs)), 0), len(reqs))
		if k == 0 {
			return body, nil, nil
		}
		h := &heldBack{table: table, reqs: reqs[len(reqs)-k:], all: k == len(reqs)}
		items[table] = reqs[:len(reqs)-k]
		ri, err := json.Marshal(items)
		if err != nil {
			return nil, nil, err
		}
		in["RequestItems"] = ri
		out, err := json.Marshal(in)
		return out, h, err
	}
	panic("unreachable")
}

// response is the whole answer when nothing was forwarded.
func (h *heldBack) response() []byte {
	b, _ := json.Marshal(map[string]any{"UnprocessedItems": map[string][]json.RawMessage{h.table: h.reqs}})
	return b
}

// merge adds the held-back requests to the backend's UnprocessedItems.
func (h *heldBack) merge(resp []byte) ([]byte, error) {
	var out map[string]json.RawMessage
	if err := json.Unmarshal(resp, &out); err != nil {
		return nil, fmt.Errorf("faultproxy: BatchWriteItem answer: %w", err)
	}
	unprocessed := map[string][]json.RawMessage{}
	if raw, ok := out["UnprocessedItems"]; ok {
		if err := json.Unmarshal(raw, &unprocessed); err != nil {
			return nil, fmt.Errorf("faultproxy: UnprocessedItems: %w", err)
		}
	}
	unprocessed[h.table] = append(unprocessed[h.table], h.reqs...)
	raw, err := json.Marshal(unprocessed)
	if err != nil {
		return nil, err
	}
	out["UnprocessedItems"] = raw
	return json.Marshal(out)
}

// crc is the X-Amz-Crc32 header value the SDK checks a DynamoDB answer against.
func crc(b []byte) string { return strconv.FormatUint(uint64(crc32.ChecksumIEEE(b)), 10) }

func writeJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amz-Crc32", crc(body))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
