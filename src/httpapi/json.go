package httpapi

import "encoding/json"

// Responses go through encoding/json (Fiber's c.JSON); an object writes its own JSON
// (object.Object.AppendJSON, allocation-free for GET /objects' pages).

type errorJSON struct {
	Error string `json:"error"`
}

func errorBody(msg string) []byte {
	b, _ := json.Marshal(errorJSON{msg}) // a struct of one string always encodes
	return b
}
