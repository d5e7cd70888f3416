package gateway

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"campuscharge/internal/apperr"
)

// Subprotocol is the WebSocket subprotocol a charger must offer.
const Subprotocol = "ocpp1.6"

// Defaults of Options.
const (
	DefaultCallTimeout     = 30 * time.Second
	DefaultPingInterval    = 30 * time.Second
	DefaultWriteTimeout    = 10 * time.Second
	DefaultMaxMessageBytes = 64 << 10
	DefaultIncomingQueue   = 16
)

// Charger is what the gateway learns about a charge point at the handshake.
type Charger struct {
	// ID is the charge point id from the URL.
	ID string
	// Known says the charger is registered; an unknown charger is refused
	// with 404 unless Pending is set.
	Known bool
	// Pending accepts an unknown charger because the site takes unknown
	// chargers as Pending: the socket is accepted and the Handler answers
	// its BootNotification with Pending.
	Pending bool
	// Lenient accepts known vendor quirks (ocpp.Options{Lenient: true})
	// in what this charger sends, logging each one at info level.
	Lenient bool
}

// Authenticator checks the HTTP Basic password at the handshake (security
// profile 1: the user is the charge point id). An error refuses the
// handshake: apperr.NotFound gives 404, apperr.Unauthorized gives 401 with
// a Basic challenge, apperr.Forbidden 403, apperr.Unavailable 503 and
// anything else 500.
type Authenticator interface {
	Authenticate(ctx context.Context, chargePointID, password string, hasPassword bool) (Charger, error)
}

// Handler handles what chargers send.
//
// HandleCall gets the payload of a CALL already validated against the
// request schema of action (strict, or lenient for a Lenient charger; a
// payload in which lenient validation tolerated quirks is handed over
// re-encoded from its typed form, so it also decodes strictly). It returns
// the CALLRESULT payload, any value that marshals to a JSON object, or an
// error: an *ocpp.Error is sent as that CALLERROR, an apperr error as the
// CALLERROR chosen by CallError. ctx is cancelled when the connection ends.
// Calls of one charger come one at a time, in arrival order; calls of
// different chargers run concurrently.
//
// Connected is called when a charger's socket is accepted, before any of
// its CALLs; Disconnected when the charger's current socket ends. A socket
// replaced by a newer one of the same charger is closed without a
// Disconnected, so a reconnect reads Connected, Connected and the charger
// is offline exactly after a Disconnected. For one charger the two are
// never called concurrently, and Disconnected always follows a Connected.
// CALLs still in flight on a replaced socket may reach HandleCall after
// the new socket's Connected.
type Handler interface {
	HandleCall(ctx context.Context, chargePointID, action string, payload json.RawMessage) (any, error)
	Connected(ctx context.Context, chargePointID string, remoteAddr string)
	Disconnected(ctx context.Context, chargePointID string)
}

// Options tunes the gateway. Zero values take the defaults.
type Options struct {
	// CallTimeout is how long an outgoing CALL waits for its answer once
	// sent (default 30 s).
	CallTimeout time.Duration
	// PingInterval is the time between WebSocket keepalive pings (default
	// 30 s); a pong not received within one interval closes the
	// connection.
	PingInterval time.Duration
	// WriteTimeout bounds the sending of one frame (default 10 s); a
	// charger that does not take it is disconnected.
	WriteTimeout time.Duration
	// MaxMessageBytes is the read limit per WebSocket message, in bytes
	// (default 64 KiB); a larger message closes the connection.
	MaxMessageBytes int64
	// IncomingQueue is how many CALLs of one charger may wait for the
	// Handler (default 16); beyond that the gateway stops reading that
	// charger's socket until the queue drains.
	IncomingQueue int
	// Log receives the gateway's logs; nil discards them.
	Log *slog.Logger
}

// withDefaults returns o with zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.CallTimeout <= 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.PingInterval <= 0 {
		o.PingInterval = DefaultPingInterval
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if o.IncomingQueue <= 0 {
		o.IncomingQueue = DefaultIncomingQueue
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// Stats are the gateway's counters since New.
type Stats struct {
	// Connections is the number of chargers connected now.
	Connections int
	// Accepted is the number of sockets accepted.
	Accepted int64
	// Refused is the number of handshakes refused.
	Refused int64
	// MessagesIn is the number of WebSocket messages received.
	MessagesIn int64
	// MessagesOut is the number of frames sent.
	MessagesOut int64
	// CallsIn is the number of chargers' CALLs answered (CALLRESULT or
	// CALLERROR).
	CallsIn int64
	// CallsOut is the number of our CALLs answered by chargers (CALLRESULT
	// or CALLERROR).
	CallsOut int64
	// CallTimeouts is the number of our CALLs that got no answer in time.
	CallTimeouts int64
}

// counters are the atomic counters behind Stats.
type counters struct {
	accepted, refused          atomic.Int64
	messagesIn, messagesOut    atomic.Int64
	callsIn, callsOut, timeout atomic.Int64
}

// Gateway is the OCPP-J server. It is an http.Handler for one charger URL.
type Gateway struct {
	auth  Authenticator
	h     Handler
	opt   Options
	log   *slog.Logger
	stats counters

	mu     sync.Mutex
	slots  map[string]*slot // by charge point id
	closed bool
	wg     sync.WaitGroup // one per accepted socket

	// queued, when set (by tests), is called when a Call starts waiting
	// for its turn behind an outstanding one.
	queued func(chargePointID string)
}

// slot is the registry entry of one charge point id.
type slot struct {
	// life serialises the lifecycle of the id: (un)registering a socket
	// together with the Connected/Disconnected call that reports it.
	life sync.Mutex
	refs int   // goroutines holding or waiting for life; guarded by Gateway.mu
	cur  *conn // the current socket, or nil; guarded by Gateway.mu
}

// New returns a gateway that asks auth who may connect and hands what
// chargers send to h.
func New(auth Authenticator, h Handler, opt Options) *Gateway {
	opt = opt.withDefaults()
	return &Gateway{auth: auth, h: h, opt: opt, log: opt.Log, slots: map[string]*slot{}}
}

// IsConnected reports whether the charger has a socket now.
func (g *Gateway) IsConnected(chargePointID string) bool {
	return g.lookup(chargePointID) != nil
}

// Connected returns the ids of the connected chargers, sorted.
func (g *Gateway) Connected() []string {
	g.mu.Lock()
	ids := make([]string, 0, len(g.slots))
	for id, s := range g.slots {
		if s.cur != nil {
			ids = append(ids, id)
		}
	}
	g.mu.Unlock()
	slices.Sort(ids)
	return ids
}

// Stats returns the counters.
func (g *Gateway) Stats() Stats {
	g.mu.Lock()
	n := 0
	for _, s := range g.slots {
		if s.cur != nil {
			n++
		}
	}
	g.mu.Unlock()
	return Stats{
		Connections:  n,
		Accepted:     g.stats.accepted.Load(),
		Refused:      g.stats.refused.Load(),
		MessagesIn:   g.stats.messagesIn.Load(),
		MessagesOut:  g.stats.messagesOut.Load(),
		CallsIn:      g.stats.callsIn.Load(),
		CallsOut:     g.stats.callsOut.Load(),
		CallTimeouts: g.stats.timeout.Load(),
	}
}

// Close refuses new sockets, closes every connection (status "going
// away") and waits until each has ended and been reported Disconnected.
func (g *Gateway) Close() {
	g.mu.Lock()
	g.closed = true
	var conns []*conn
	for _, s := range g.slots {
		if s.cur != nil {
			conns = append(conns, s.cur)
		}
	}
	g.mu.Unlock()
	for _, c := range conns {
		c.shutdown(statusGoingAway, "server shutting down")
	}
	g.wg.Wait()
}

// lookup returns the current socket of a charger, or nil.
func (g *Gateway) lookup(chargePointID string) *conn {
	g.mu.Lock()
	defer g.mu.Unlock()
	if s := g.slots[chargePointID]; s != nil {
		return s.cur
	}
	return nil
}

// begin counts a new socket unless the gateway is closed.
func (g *Gateway) begin() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.wg.Add(1)
	return true
}

// acquire locks the lifecycle of an id, creating its slot if needed.
func (g *Gateway) acquire(id string) *slot {
	g.mu.Lock()
	s := g.slots[id]
	if s == nil {
		s = &slot{}
		g.slots[id] = s
	}
	s.refs++
	g.mu.Unlock()
	s.life.Lock()
	return s
}

// release unlocks the lifecycle of an id, dropping an unused slot.
func (g *Gateway) release(id string, s *slot) {
	s.life.Unlock()
	g.mu.Lock()
	s.refs--
	if s.refs == 0 && s.cur == nil {
		delete(g.slots, id)
	}
	g.mu.Unlock()
}

// register makes c the current socket of its charger, closes the socket it
// replaces and reports Connected.
func (g *Gateway) register(ctx context.Context, c *conn, remoteAddr string) {
	s := g.acquire(c.id)
	defer g.release(c.id, s)
	g.mu.Lock()
	old := s.cur
	s.cur = c
	closed := g.closed
	g.mu.Unlock()
	if old != nil {
		c.log.Info("charger reconnected: closing its previous socket", "previous_remote", old.remote)
		old.shutdown(statusPolicyViolation, "replaced by a new connection")
	}
	g.h.Connected(ctx, c.id, remoteAddr)
	if closed {
		// Close ran between begin and register and could not see c.
		c.shutdown(statusGoingAway, "server shutting down")
	}
}

// unregister removes c if it is still its charger's current socket and
// reports Disconnected; a replaced socket is dropped silently.
func (g *Gateway) unregister(ctx context.Context, c *conn) {
	s := g.acquire(c.id)
	defer g.release(c.id, s)
	g.mu.Lock()
	current := s.cur == c
	if current {
		s.cur = nil
	}
	g.mu.Unlock()
	if current {
		g.h.Disconnected(ctx, c.id)
	}
}

// offline is the error of a Call to a charger without a socket.
func offline(chargePointID string) error {
	return apperr.New(apperr.Unavailable, "charger_offline", chargePointID)
}
