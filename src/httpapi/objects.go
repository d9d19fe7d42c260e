package httpapi

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/acme/objects-api/src/store"
)

// tsLayout is the write time's format: UTC, always 6 fractional digits, no offset
// (the Python proof of concept's datetime.isoformat()).
const tsLayout = "2006-01-02T15:04:05.000000"

// putObject stores {uuid: id, ts: now}: 201 when new, 200 when it replaced an object.
func putObject(d *deps) fiber.Handler {
	st := d.st
	return func(c *fiber.Ctx) error {
		id, err := parseID(c.Params("id"))
		if err != nil {
			return err
		}
		var tsBuf [len(tsLayout)]byte
		ts := string(time.Now().UTC().AppendFormat(tsBuf[:0], tsLayout))
		created, err := st.Put(c.UserContext(), id, ts)
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
func getObject(d *deps) fiber.Handler {
	st := d.st
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
		return c.JSON(struct {
			Object objectJSON `json:"object"`
		}{newObjectJSON(o.UUID, o.TS)})
	}
}

// deleteObject answers 204, or 404 when there was no such object.
func deleteObject(d *deps) fiber.Handler {
	st := d.st
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
