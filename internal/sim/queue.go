package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"campuscharge/internal/ocpp"
)

// maxQueuedMeterValues bounds periodic MeterValues kept while offline; the
// oldest are dropped beyond it, as real chargers do.
const maxQueuedMeterValues = 500

// outItem is one message waiting in the ordered outbox. Transaction
// messages (persistent) survive a disconnection and are replayed after the
// next boot; the others are dropped when the connection ends.
type outItem struct {
	action     string
	persistent bool
	// build returns the payload at send time (so a transaction id learnt
	// meanwhile is used); false drops the item. Called with c.mu held.
	build func() (any, bool)
	// onResult handles the validated CALLRESULT payload; called without c.mu.
	onResult func(json.RawMessage)
	// onDrop runs (with c.mu held) when the item is given up.
	onDrop   func()
	done     chan error
	attempts int
	finished bool
}

// resolveLocked reports err to the item's waiter, once.
func (it *outItem) resolveLocked(err error) {
	if it.finished {
		return
	}
	it.finished = true
	it.done <- err
}

// enqueueLocked appends an item to the outbox and wakes the sender.
func (c *Charger) enqueueLocked(it *outItem) {
	if it.done == nil {
		it.done = make(chan error, 1)
	}
	if it.action == ocpp.ActionMeterValues && it.persistent {
		n := 0
		for _, q := range c.queue {
			if q.action == ocpp.ActionMeterValues && q.persistent {
				n++
			}
		}
		if n >= maxQueuedMeterValues {
			for i, q := range c.queue {
				if q.action == ocpp.ActionMeterValues && q.persistent && i > 0 {
					c.queue = append(c.queue[:i], c.queue[i+1:]...)
					q.resolveLocked(errors.New("dropped: offline queue full"))
					break
				}
			}
		}
	}
	c.queue = append(c.queue, it)
	signal(c.queueWake)
	c.notifyLocked()
}

// finishLocked removes it from the outbox and reports err to its waiter.
func (c *Charger) finishLocked(it *outItem, err error) {
	for i, q := range c.queue {
		if q == it {
			c.queue = append(c.queue[:i], c.queue[i+1:]...)
			break
		}
	}
	if err != nil && it.onDrop != nil && !it.finished {
		it.onDrop()
	}
	it.resolveLocked(err)
	c.notifyLocked()
}

// dropVolatileLocked removes the items that do not survive a disconnection.
func (c *Charger) dropVolatileLocked() {
	kept := c.queue[:0]
	for _, it := range c.queue {
		if it.persistent {
			kept = append(kept, it)
			continue
		}
		it.resolveLocked(errOffline)
	}
	clear(c.queue[len(kept):])
	c.queue = kept
}

// sendLoop sends the outbox in order over s until s ends. An item leaves
// the outbox only when answered (or refused too often), so a message in
// flight when the connection drops is sent again after reconnection.
func (c *Charger) sendLoop(ctx context.Context, s *session) {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 {
			c.mu.Unlock()
			select {
			case <-c.queueWake:
				continue
			case <-s.done:
				return
			case <-ctx.Done():
				return
			}
		}
		it := c.queue[0]
		payload, ok := it.build()
		if !ok {
			c.finishLocked(it, errors.New("dropped"))
			c.mu.Unlock()
			continue
		}
		c.mu.Unlock()
		res, err := s.call(ctx, it.action, payload)
		if err != nil {
			if s.closed() || ctx.Err() != nil || errors.Is(err, errOffline) {
				return
			}
			// Refused or invalid answer: retry up to TransactionMessageAttempts.
			c.mu.Lock()
			it.attempts++
			if it.attempts >= c.configInt(keyTransactionMessageAttempts, 3) || !it.persistent {
				c.log.Warn("giving up message", "action", it.action, "error", err)
				c.finishLocked(it, fmt.Errorf("send %s: %w", it.action, err))
			}
			c.mu.Unlock()
			continue
		}
		if it.onResult != nil {
			it.onResult(res)
		}
		c.mu.Lock()
		c.finishLocked(it, nil)
		c.mu.Unlock()
	}
}

// waitItem waits for an item's result; nil when done is nil (nothing sent).
func waitItem(ctx context.Context, done chan error) error {
	if done == nil {
		return nil
	}
	select {
	case err := <-done:
		if errors.Is(err, errOffline) {
			return nil // the status is reported again after the next boot
		}
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// syncStatusLocked queues a StatusNotification for every connector whose
// status changed since last reported, when online. It returns the done
// channel of the last one queued, or nil.
func (c *Charger) syncStatusLocked() chan error {
	c.notifyLocked()
	if !c.online {
		return nil
	}
	var last chan error
	if st := c.cpStatus(); st != c.cpReported {
		c.cpReported = st
		last = c.queueStatusLocked(0, st, ocpp.ChargePointErrorCodeNoError)
	}
	for _, k := range c.conns {
		st, code := c.statusOf(k)
		if st == k.reported && code == k.reportedErr {
			continue
		}
		k.reported, k.reportedErr = st, code
		last = c.queueStatusLocked(k.id, st, code)
	}
	return last
}

func (c *Charger) statusRequest(id int, st ocpp.ChargePointStatus, code ocpp.ChargePointErrorCode) ocpp.StatusNotificationRequest {
	ts := ocpp.NewDateTime(c.clk.Now())
	req := ocpp.StatusNotificationRequest{ConnectorID: id, ErrorCode: code, Status: st, Timestamp: &ts}
	if code != ocpp.ChargePointErrorCodeNoError {
		req.VendorID = c.spec.Vendor
		req.VendorErrorCode = "E" + strconv.Itoa(len(code))
	}
	return req
}

func (c *Charger) queueStatusLocked(id int, st ocpp.ChargePointStatus, code ocpp.ChargePointErrorCode) chan error {
	req := c.statusRequest(id, st, code)
	it := &outItem{action: ocpp.ActionStatusNotification, build: func() (any, bool) { return req, true }}
	c.enqueueLocked(it)
	return it.done
}

// queueVolatileLocked queues a non-transaction message when online.
func (c *Charger) queueVolatileLocked(action string, req any) chan error {
	if !c.online {
		return nil
	}
	it := &outItem{action: action, build: func() (any, bool) { return req, true }}
	c.enqueueLocked(it)
	return it.done
}
