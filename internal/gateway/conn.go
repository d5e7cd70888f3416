package gateway

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"campuscharge/internal/ocpp"
)

// WebSocket close statuses the gateway sends.
const (
	statusGoingAway       = websocket.StatusGoingAway
	statusPolicyViolation = websocket.StatusPolicyViolation
)

// conn is one accepted charger socket.
type conn struct {
	g      *Gateway
	ws     *websocket.Conn
	id     string // charge point id
	remote string // remote address
	opt    ocpp.Options
	log    *slog.Logger

	// life is cancelled when the socket ends or is being closed: it stops
	// the worker and the pinger and fails the outgoing calls.
	life     context.Context
	cancel   context.CancelFunc
	stopOnce sync.Once

	incoming chan inCall // CALLs waiting for the worker, in arrival order

	idPrefix string        // random per socket, so ids differ across reconnects
	seq      atomic.Uint64 // message id counter

	mu      sync.Mutex
	busy    bool            // an outgoing CALL holds the turn
	waiters []chan struct{} // outgoing CALLs waiting for the turn, FIFO
	pending *pendingCall    // the outgoing CALL awaiting its answer
}

// inCall is a CALL read from the charger; err is set when its frame could
// not be parsed but its id could.
type inCall struct {
	f   ocpp.Frame
	err error
}

// newConn wraps an accepted socket.
func newConn(g *Gateway, ws *websocket.Conn, id string, ch Charger, remote string, base context.Context) *conn {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	life, cancel := context.WithCancel(base)
	return &conn{
		g:        g,
		ws:       ws,
		id:       id,
		remote:   remote,
		opt:      ocpp.Options{Lenient: ch.Lenient, Sender: ocpp.RoleChargePoint},
		log:      g.log.With("charger", id),
		life:     life,
		cancel:   cancel,
		incoming: make(chan inCall, g.opt.IncomingQueue),
		idPrefix: hex.EncodeToString(b[:]),
	}
}

// nextID returns a message id unique on this socket: 8 random hex digits,
// a dash and a base-36 counter (at most 22 characters).
func (c *conn) nextID() string {
	return c.idPrefix + "-" + strconv.FormatUint(c.seq.Add(1), 36)
}

// shutdown ends the socket: outgoing calls fail at once and the close
// handshake runs in the background (the reader ends when it completes).
func (c *conn) shutdown(code websocket.StatusCode, reason string) {
	c.stopOnce.Do(func() {
		c.cancel()
		go func() { _ = c.ws.Close(code, reason) }()
	})
}

// serve runs the socket: the reader loop here, one worker answering the
// charger's CALLs in order and one pinger. It returns when the socket
// ends, after the worker and pinger have stopped.
func (c *conn) serve() error {
	var wg sync.WaitGroup
	wg.Go(c.work)
	wg.Go(c.ping)
	err := c.read()
	c.shutdown(websocket.StatusNormalClosure, "")
	_ = c.ws.CloseNow()
	wg.Wait()
	return err
}

// read reads frames until the socket ends, queueing CALLs for the worker
// and handing answers to the waiting outgoing call.
func (c *conn) read() error {
	for {
		typ, data, err := c.ws.Read(context.Background())
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		c.g.stats.messagesIn.Add(1)
		if typ != websocket.MessageText {
			c.log.Warn("binary WebSocket message dropped", "bytes", len(data))
			continue
		}
		f, err := ocpp.ParseFrame(data)
		if err != nil && f.ID == "" {
			c.log.Warn("unreadable frame dropped", "err", err, "frame", clip(data))
			continue
		}
		switch {
		case f.Type == ocpp.Call:
			select {
			case c.incoming <- inCall{f: f, err: err}:
			case <-c.life.Done():
				return errors.New("connection closing")
			}
		case err != nil:
			c.deliver(answer{id: f.ID, err: err})
		default:
			c.deliver(answer{id: f.ID, f: f})
		}
	}
}

// work answers the charger's CALLs one at a time, in arrival order.
func (c *conn) work() {
	for {
		select {
		case <-c.life.Done():
			return
		case in := <-c.incoming:
			out := c.answer(in)
			// Counted before the answer leaves, so whoever reads the
			// answer also sees it counted.
			c.g.stats.callsIn.Add(1)
			if err := c.send(out); err != nil {
				c.log.Warn("answer not sent", "action", in.f.Action, "id", in.f.ID, "err", err)
			}
		}
	}
}

// answer computes the CALLRESULT or CALLERROR for one CALL.
func (c *conn) answer(in inCall) ocpp.Frame {
	f := in.f
	if in.err != nil {
		e := ocpp.AsError(in.err)
		c.log.Info("malformed CALL refused", "id", f.ID, "action", f.Action, "code", e.Code, "err", e.Description)
		return ocpp.NewCallError(f.ID, e)
	}
	payload, err := c.validate(f)
	if err != nil {
		e := ocpp.AsError(err)
		c.log.Info("invalid CALL refused", "id", f.ID, "action", f.Action, "code", e.Code, "err", e.Description)
		return ocpp.NewCallError(f.ID, e)
	}
	res, err := c.handle(f.Action, payload)
	if err != nil {
		e := CallError(err)
		lvl := slog.LevelInfo
		if e.Code == ocpp.InternalError {
			lvl = slog.LevelError
		}
		c.log.Log(c.life, lvl, "CALL answered with an error", "id", f.ID, "action", f.Action, "code", e.Code, "err", err)
		return ocpp.NewCallError(f.ID, e)
	}
	out, err := ocpp.NewCallResult(f.ID, res)
	if err == nil {
		_, err = ocpp.ValidateResponse(f.Action, out.Payload, ocpp.Options{})
	}
	if err != nil {
		c.log.Error("handler returned an invalid confirmation", "id", f.ID, "action", f.Action, "err", err)
		return ocpp.NewCallError(f.ID, internalError())
	}
	return out
}

// validate checks a CALL's payload for its action and returns the payload
// to hand to the Handler: re-encoded from its typed form when lenient
// validation tolerated quirks, so that it also decodes strictly.
func (c *conn) validate(f ocpp.Frame) (json.RawMessage, error) {
	quirks, err := ocpp.ValidateRequest(f.Action, f.Payload, c.opt)
	if err != nil {
		return nil, err
	}
	if len(quirks) == 0 {
		return f.Payload, nil
	}
	for _, q := range quirks {
		c.log.Info("vendor quirk accepted", "action", f.Action, "id", f.ID, "quirk", string(q))
	}
	v, _, err := ocpp.DecodeRequest(f.Action, f.Payload, c.opt)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("re-encode %s payload: %w", f.Action, err)
	}
	return raw, nil
}

// handle calls the Handler, turning a panic into an error so that one bad
// message cannot take the server down.
func (c *conn) handle(action string, payload json.RawMessage) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panic on %s: %v", action, p)
		}
	}()
	return c.g.h.HandleCall(c.life, c.id, action, payload)
}

// send writes one frame. Writes of the worker, the callers and the pinger
// are serialised by the WebSocket connection; a write that takes longer
// than WriteTimeout closes the socket. The write's context is not tied to
// c.life: the library closes the socket abruptly when a write's context
// ends mid-write, which would cut the close handshake of shutdown.
func (c *conn) send(f ocpp.Frame) error {
	b, err := f.MarshalJSON()
	if err != nil {
		return fmt.Errorf("send %s %s: %w", f.Type, f.ID, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.g.opt.WriteTimeout)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		return fmt.Errorf("send %s %s: %w", f.Type, f.ID, err)
	}
	c.g.stats.messagesOut.Add(1)
	return nil
}

// ping sends a keepalive ping every PingInterval and closes the socket
// when its pong does not come back within one interval.
func (c *conn) ping() {
	every := c.g.opt.PingInterval
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.life.Done():
			return
		case <-t.C:
		}
		// Not tied to c.life, like send; closing the socket ends the ping.
		ctx, cancel := context.WithTimeout(context.Background(), every)
		err := c.ws.Ping(ctx)
		cancel()
		if err != nil {
			if c.life.Err() == nil {
				c.log.Info("no pong: closing the connection", "err", err)
				_ = c.ws.CloseNow()
			}
			return
		}
	}
}

// clip shortens a frame for a log line.
func clip(b []byte) string {
	const n = 200
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}
