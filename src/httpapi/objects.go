package httpapi

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/acme/objects-api/src/object"
	"github.com/acme/objects-api/src/store"
)

// tsLayout is the write time's format (object.TSLayout).
const tsLayout = object.TSLayout

// putObject stores {uuid: id, ts: now}: 201 when new, 200 when it replaced an object.
func putObject(env *handlerEnv) fiber.Handler {
	st := env.st
	return func(c *fiber.Ctx) error {
		id, err := parseID(c.Params("id"))
		if err != nil {
			return err
		}
		var tsBuf [len(tsLayout)]byte
		ts := string(time.Now().UTC().AppendFormat(tsBuf[:0], tsLayout))
		created, err := st.Put(c.UserContext(), object.Object{UUID: id, TS: ts})
		if err != nil {
			return err
		}
		if created {
			c.Status(fiber.StatusCreated)
		}
		return c.JSON(struct {
			Object string `json:"object"`
		}{id})
	}
}

// getObject answers {"object": {"uuid": ..., "ts": ...}}, or 404.
func getObject(env *handlerEnv) fiber.Handler {
	st := env.st
	return func(c *fiber.Ctx) error {
		id, err := parseID(c.Params("id"))
		if err != nil {
			return err
		}
		o, err := st.Get(c.UserContext(), id)
		if errors.Is(err, store.ErrNotFound) {
			return notFound(id)
		}
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(append(o.AppendJSON(append(make([]byte, 0, 96), `{"object":`...)), '}'))
	}
}

// deleteObject answers 204, or 404 when there was no such object.
func deleteObject(env *handlerEnv) fiber.Handler {
	st := env.st
	return func(c *fiber.Ctx) error {
		id, err := parseID(c.Params("id"))
		if err != nil {
			return err
		}
		err = st.Delete(c.UserContext(), id)
		if errors.Is(err, store.ErrNotFound) {
			return notFound(id)
		}
		if err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}
