package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"

	"campuscharge/internal/ocpp"
)

// errOffline says the connection closed before a CALL was answered.
var errOffline = errors.New("connection closed")

// CallError is the CALLERROR a central system answered a CALL with.
type CallError struct {
	// Action is the action that was refused.
	Action string
	// Code is the OCPP-J error code.
	Code ocpp.ErrorCode
	// Description is the server's description.
	Description string
}

// Error returns "Action: Code: Description".
func (e *CallError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Action, e.Code, e.Description)
}

// session is one WebSocket connection to the central system.
type session struct {
	c        *Charger
	ws       *websocket.Conn
	done     chan struct{} // closed when the read loop ends
	callSem  chan struct{} // one outstanding CALL from us at a time
	writeMu  sync.Mutex
	mu       sync.Mutex
	pending  map[string]*pendingCall
	given    map[string]bool // calls we stopped waiting for; a late answer is no violation
	incoming chan ocpp.Frame
	reboot   bool // closed by a Reset: reconnect at once
}

type pendingCall struct {
	action string
	reply  chan callReply
}

type callReply struct {
	payload json.RawMessage
	err     error
}

func newSession(c *Charger, ws *websocket.Conn) *session {
	return &session{
		c:        c,
		ws:       ws,
		done:     make(chan struct{}),
		callSem:  make(chan struct{}, 1),
		pending:  map[string]*pendingCall{},
		given:    map[string]bool{},
		incoming: make(chan ocpp.Frame, 32),
	}
}

func (s *session) closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// write sends one frame.
func (s *session) write(ctx context.Context, f ocpp.Frame) error {
	b, err := f.MarshalJSON()
	if err != nil {
		return fmt.Errorf("marshal frame: %w", err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	wctx, cancel := context.WithTimeout(ctx, s.c.b.CallTimeout)
	defer cancel()
	if err := s.ws.Write(wctx, websocket.MessageText, b); err != nil {
		return fmt.Errorf("write frame: %w", err)
	}
	return nil
}

// call sends a CALL and waits for its validated CALLRESULT payload.
func (s *session) call(ctx context.Context, action string, req any) (json.RawMessage, error) {
	select {
	case s.callSem <- struct{}{}:
	case <-s.done:
		return nil, fmt.Errorf("%s: %w", action, errOffline)
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: %w", action, ctx.Err())
	}
	defer func() { <-s.callSem }()

	f, err := ocpp.NewCall(s.c.nextMessageID(), action, req)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", action, err)
	}
	if _, err := ocpp.ValidateRequest(action, f.Payload, ocpp.Options{Sender: ocpp.RoleChargePoint}); err != nil {
		return nil, fmt.Errorf("simulator built an invalid %s: %w", action, err)
	}
	p := &pendingCall{action: action, reply: make(chan callReply, 1)}
	s.mu.Lock()
	s.pending[f.ID] = p
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if _, waiting := s.pending[f.ID]; waiting {
			delete(s.pending, f.ID)
			s.given[f.ID] = true
		}
		s.mu.Unlock()
	}()
	start := time.Now()
	if err := s.write(ctx, f); err != nil {
		s.ws.CloseNow()
		return nil, fmt.Errorf("send %s: %w", action, errors.Join(errOffline, err))
	}
	timer := time.NewTimer(s.c.b.CallTimeout)
	defer timer.Stop()
	select {
	case r := <-p.reply:
		s.c.stats.record(time.Since(start), r.err == nil)
		return r.payload, r.err
	case <-s.done:
		return nil, fmt.Errorf("%s: %w", action, errOffline)
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: %w", action, ctx.Err())
	case <-timer.C:
		s.c.stats.record(s.c.b.CallTimeout, false)
		// A charger that gets no answer treats the connection as broken.
		s.ws.CloseNow()
		return nil, fmt.Errorf("%s: no answer within %s: %w", action, s.c.b.CallTimeout, errOffline)
	}
}

// readLoop reads frames until the connection ends, routing answers to
// their calls and CALLs to the handler loop.
func (s *session) readLoop(ctx context.Context) {
	defer close(s.done)
	for {
		typ, data, err := s.ws.Read(ctx)
		if err != nil {
			return
		}
		s.c.stats.message()
		if typ != websocket.MessageText {
			s.c.violation("binary WebSocket message")
			continue
		}
		f, err := ocpp.ParseFrame(data)
		if err != nil {
			s.c.violation("bad frame %.100q: %v", data, err)
			if f.Type == ocpp.Call && f.ID != "" {
				_ = s.write(ctx, ocpp.NewCallError(f.ID, ocpp.AsError(err)))
			}
			continue
		}
		switch f.Type {
		case ocpp.Call:
			select {
			case s.incoming <- f:
			case <-ctx.Done():
				return
			}
		default:
			s.answer(f)
		}
	}
}

// answer delivers a CALLRESULT or CALLERROR to the call waiting for it.
func (s *session) answer(f ocpp.Frame) {
	s.mu.Lock()
	p := s.pending[f.ID]
	delete(s.pending, f.ID)
	late := s.given[f.ID]
	delete(s.given, f.ID)
	s.mu.Unlock()
	if p == nil && late {
		s.c.log.Debug("late answer to an abandoned call", "id", f.ID)
		return
	}
	if p == nil {
		s.c.violation("%s for unknown message id %q", f.Type, f.ID)
		return
	}
	if f.Type == ocpp.CallError {
		p.reply <- callReply{err: &CallError{Action: p.action, Code: f.ErrorCode, Description: f.ErrorDescription}}
		return
	}
	if _, err := ocpp.ValidateResponse(p.action, f.Payload, ocpp.Options{}); err != nil {
		s.c.violation("invalid %s.conf %s: %v", p.action, f.Payload, err)
		p.reply <- callReply{err: fmt.Errorf("invalid %s.conf: %w", p.action, err)}
		return
	}
	p.reply <- callReply{payload: f.Payload}
}

// handleLoop answers the server's CALLs one at a time, in order.
func (s *session) handleLoop(ctx context.Context) {
	for {
		select {
		case f := <-s.incoming:
			s.c.handleCall(ctx, s, f)
		case <-s.done:
			return
		}
	}
}

// nextMessageID returns a message id never used before by this charger.
func (c *Charger) nextMessageID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgSeq++
	return c.msgPrefix + "-" + strconv.FormatUint(c.msgSeq, 10)
}

// violation records something the server did against OCPP.
func (c *Charger) violation(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.violationLocked(format, args...)
}
