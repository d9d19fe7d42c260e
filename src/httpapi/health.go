package httpapi

import (
	"errors"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"

	"github.com/acme/objects-api/src/store"
)

// healthzStatus is what GET /healthz reports. The stack, Tilt and devcontainer tests edit this
// line to check that a saved change is served by hot reload.
const healthzStatus = "ok"

// healthz: the process is alive and serving; it does no I/O.
func healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.SendString(`{"status":"` + healthzStatus + `"}`)
}

// readyz: 200 when the table answers DescribeTable as ACTIVE, else 503 with the reason.
// Healthchecks poll it every second, so it logs changes of state rather than every failure.
func readyz(d *deps) fiber.Handler {
	st, logger, m := d.st, d.logger, d.metrics
	var ready atomic.Int32 // 0 unknown, 1 ready, 2 not ready
	return func(c *fiber.Ctx) error {
		err := st.Ready(c.UserContext())
		var se *store.Error
		if err != nil && !errors.As(err, &se) {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		if err != nil { // not ready is 503 whatever the cause, a timeout included
			m.ready.Set(0)
			if ready.Swap(2) != 2 {
				logger.Warn("not ready", "request_id", c.GetRespHeader(HeaderRequestID), "error", se.Error())
			}
			writeError(c, fiber.StatusServiceUnavailable, "not ready: "+se.Msg)
			return nil
		}
		m.ready.Set(1)
		if ready.Swap(1) != 1 {
			logger.Info("ready", "table", st.Table())
		}
		return c.SendString(`{"status":"ready"}`)
	}
}
