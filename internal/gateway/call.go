package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/ocpp"
)

// pendingCall is our CALL awaiting its answer.
type pendingCall struct {
	id     string
	action string
	done   chan answer // buffered: the reader never blocks on it
}

// answer is what came back for a CALL: a CALLRESULT or CALLERROR frame,
// or the parse error of an answer whose id could be read.
type answer struct {
	id  string
	f   ocpp.Frame
	err error
}

// Call sends a CALL to a connected charger and waits for its answer. A
// CALLRESULT is validated against the confirmation schema of action
// (leniently for a Lenient charger) and decoded into resp, a pointer to the
// typed confirmation (e.g. *ocpp.ResetResponse; nil discards it). A
// CALLERROR comes back as an *ocpp.Error in the error chain. Errors:
// apperr.Invalid when req is not a valid request of action;
// apperr.Unavailable with key "charger_offline" when the charger has no
// socket or loses it before answering; "charger_timeout" when no answer
// comes within CallTimeout of sending; "unavailable" when the answer is
// not a valid confirmation; ctx's error when ctx ends first.
//
// One CALL is outstanding per socket: concurrent Calls to a charger are
// sent one after the other in the order they were made, each waiting up to
// CallTimeout once sent; a Call waiting for its turn is bounded by ctx
// only. The charger may send its own CALLs meanwhile; they are answered.
func (g *Gateway) Call(ctx context.Context, chargePointID, action string, req any, resp any) error {
	if resp != nil {
		if rv := reflect.ValueOf(resp); rv.Kind() != reflect.Pointer || rv.IsNil() {
			// A programming error: refuse before the charger acts on req.
			return fmt.Errorf("call %s on %s: resp must be nil or a non-nil pointer, got %T", action, chargePointID, resp)
		}
	}
	probe, err := ocpp.NewCall("", action, req)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, "invalid_input")
	}
	if _, err := ocpp.ValidateRequest(action, probe.Payload, ocpp.Options{Sender: ocpp.RoleCentralSystem}); err != nil {
		// Flatten the *ocpp.Error so it is not mistaken for the charger's.
		return apperr.Wrap(fmt.Errorf("%s request: %s", action, err.Error()), apperr.Invalid, "invalid_input")
	}
	c := g.lookup(chargePointID)
	if c == nil {
		return offline(chargePointID)
	}
	return c.call(ctx, action, probe.Payload, resp)
}

// call runs one outgoing CALL on this socket.
func (c *conn) call(ctx context.Context, action string, payload json.RawMessage, resp any) error {
	if err := c.takeTurn(ctx); err != nil {
		return err
	}
	defer c.passTurn()

	p := &pendingCall{id: c.nextID(), action: action, done: make(chan answer, 1)}
	c.mu.Lock()
	c.pending = p
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		if c.pending == p {
			c.pending = nil
		}
		c.mu.Unlock()
	}()

	if err := c.send(ocpp.Frame{Type: ocpp.Call, ID: p.id, Action: action, Payload: payload}); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "charger_offline", c.id)
	}
	timer := time.NewTimer(c.g.opt.CallTimeout)
	defer timer.Stop()
	select {
	case a := <-p.done:
		c.g.stats.callsOut.Add(1)
		return c.result(p, a, resp)
	case <-timer.C:
		c.g.stats.timeout.Add(1)
		c.log.Warn("CALL not answered in time", "action", action, "id", p.id, "timeout", c.g.opt.CallTimeout)
		return apperr.New(apperr.Unavailable, "charger_timeout", c.id)
	case <-c.life.Done():
		// The reader hands over an answer before it reads further, so an
		// answer that came just before the socket closed is here: a
		// charger that answers and then reboots (Reset) was heard.
		select {
		case a := <-p.done:
			c.g.stats.callsOut.Add(1)
			return c.result(p, a, resp)
		default:
		}
		return offline(c.id)
	case <-ctx.Done():
		return fmt.Errorf("call %s on %s: %w", action, c.id, ctx.Err())
	}
}

// result turns the answer to our CALL into Call's outcome.
func (c *conn) result(p *pendingCall, a answer, resp any) error {
	if a.err != nil {
		c.log.Warn("malformed answer to our CALL", "action", p.action, "id", p.id, "err", a.err)
		return apperr.Wrap(fmt.Errorf("%s answer: %s", p.action, a.err.Error()), apperr.Unavailable, "unavailable")
	}
	if a.f.Type == ocpp.CallError {
		e := &ocpp.Error{Code: a.f.ErrorCode, Description: a.f.ErrorDescription}
		if len(a.f.ErrorDetails) > 0 && string(a.f.ErrorDetails) != "{}" {
			_ = json.Unmarshal(a.f.ErrorDetails, &e.Details) // details are informative only
		}
		return fmt.Errorf("call %s on %s: %w", p.action, c.id, e)
	}
	v, quirks, err := ocpp.DecodeResponse(p.action, a.f.Payload, ocpp.Options{Lenient: c.opt.Lenient})
	for _, q := range quirks {
		c.log.Info("vendor quirk accepted", "action", p.action, "id", p.id, "quirk", string(q))
	}
	if err != nil {
		c.log.Warn("invalid confirmation from charger", "action", p.action, "id", p.id, "err", err)
		return apperr.Wrap(fmt.Errorf("%s confirmation: %s", p.action, err.Error()), apperr.Unavailable, "unavailable")
	}
	if resp == nil {
		return nil
	}
	if err := assign(resp, v); err != nil {
		return fmt.Errorf("call %s on %s: %w", p.action, c.id, err)
	}
	return nil
}

// assign stores the decoded confirmation src (a pointer to the typed
// confirmation) in dst, a non-nil pointer: directly when dst points to the
// same type, otherwise through JSON.
func assign(dst, src any) error {
	dv := reflect.ValueOf(dst)
	sv := reflect.ValueOf(src)
	if sv.Type() == dv.Type() {
		dv.Elem().Set(sv.Elem())
		return nil
	}
	raw, err := json.Marshal(src)
	if err != nil {
		return fmt.Errorf("re-encode confirmation: %w", err)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("decode confirmation into %T: %w", dst, err)
	}
	return nil
}

// deliver hands an answer read from the socket to the CALL waiting for it;
// an answer nobody waits for is logged and ignored.
func (c *conn) deliver(a answer) {
	c.mu.Lock()
	p := c.pending
	if p != nil && p.id == a.id {
		c.pending = nil
	} else {
		p = nil
	}
	c.mu.Unlock()
	if p == nil {
		c.log.Info("answer to no outstanding CALL ignored", "id", a.id, "type", a.f.Type, "err", a.err)
		return
	}
	p.done <- a
}

// takeTurn waits until this caller may send its CALL: at once when no
// CALL is outstanding, otherwise after the callers before it.
func (c *conn) takeTurn(ctx context.Context) error {
	c.mu.Lock()
	if c.life.Err() != nil {
		c.mu.Unlock()
		return offline(c.id)
	}
	if !c.busy {
		c.busy = true
		c.mu.Unlock()
		return nil
	}
	turn := make(chan struct{})
	c.waiters = append(c.waiters, turn)
	c.mu.Unlock()
	if c.g.queued != nil {
		c.g.queued(c.id)
	}

	var err error
	select {
	case <-turn:
		if c.life.Err() == nil {
			return nil
		}
		err = offline(c.id)
	case <-c.life.Done():
		err = offline(c.id)
	case <-ctx.Done():
		err = fmt.Errorf("call on %s: wait for turn: %w", c.id, ctx.Err())
	}
	// Leave the queue; if the turn was handed over meanwhile, pass it on.
	c.mu.Lock()
	for i, w := range c.waiters {
		if w == turn {
			c.waiters = append(c.waiters[:i], c.waiters[i+1:]...)
			c.mu.Unlock()
			return err
		}
	}
	c.mu.Unlock()
	c.passTurn()
	return err
}

// passTurn gives the turn to the longest-waiting caller, or frees it.
func (c *conn) passTurn() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.waiters) == 0 {
		c.busy = false
		return
	}
	next := c.waiters[0]
	c.waiters = c.waiters[1:]
	close(next)
}
