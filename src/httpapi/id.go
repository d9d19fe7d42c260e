package httpapi

import "github.com/acme/objects-api/src/object"

// validIDHint ends every invalid-id message.
const validIDHint = object.ValidIDHint

// parseID is object.ParseID (a version-4 UUID in canonical form, any case; returned in
// lowercase, never sharing memory with raw, which may point into Fiber's reused buffers), with a
// rejected id as a 400 for the client.
func parseID(raw string) (string, error) {
	id, err := object.ParseID(raw)
	if err != nil {
		return "", &apiError{status: 400, msg: err.Error()}
	}
	return id, nil
}
