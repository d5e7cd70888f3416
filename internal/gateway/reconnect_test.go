package gateway_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/apperr"
	"campuscharge/internal/gateway"
	"campuscharge/internal/ocpp"
)

func TestReconnectReplacesSocket(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	old := s.connect(t, "CP1")
	// A Call outstanding on the old socket when the charger comes back.
	stale := goCall(s.g, "CP1", ocpp.ActionReset, hardReset, nil)
	recv(t, old)

	fresh := s.connect(t, "CP1") // waits for the second "connected CP1"

	// The old socket is closed by the server.
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if _, _, err := old.Read(ctx); websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Errorf("old socket: got read error %v, want close status %d", err, websocket.StatusPolicyViolation)
	}
	if err := result(t, stale); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Call on the replaced socket: got %v, want charger_offline", err)
	}
	// Calls go to the new socket.
	var resp ocpp.ResetResponse
	done := goCall(s.g, "CP1", ocpp.ActionReset, hardReset, &resp)
	reply(t, fresh, recv(t, fresh), `{"status":"Accepted"}`)
	if err := result(t, done); err != nil {
		t.Fatalf("Call after reconnect: %v", err)
	}
	if diff := cmp.Diff([]string{"CP1"}, s.g.Connected()); diff != "" {
		t.Errorf("Connected (-want +got):\n%s", diff)
	}
	// The sequence, once every socket has ended: the replaced socket is
	// never reported Disconnected.
	go drain(fresh)
	s.g.Close()
	var events []string
	for len(s.h.events) > 0 {
		events = append(events, <-s.h.events)
	}
	if diff := cmp.Diff([]string{"disconnected CP1"}, events); diff != "" {
		t.Errorf("events after the two Connected (-want +got):\n%s", diff)
	}
}

// seqHandler records the lifecycle events of one charger and notices
// callbacks that overlap.
type seqHandler struct {
	*recHandler
	busy   sync.Mutex
	mu     sync.Mutex
	seq    []string
	overlp int
}

func (h *seqHandler) record(e string) {
	if !h.busy.TryLock() {
		h.mu.Lock()
		h.overlp++
		h.mu.Unlock()
		return
	}
	defer h.busy.Unlock()
	h.mu.Lock()
	h.seq = append(h.seq, e)
	h.mu.Unlock()
}

func (h *seqHandler) Connected(_ context.Context, _, _ string) { h.record("C") }

func (h *seqHandler) Disconnected(_ context.Context, _ string) { h.record("D") }

func TestReconnectStormKeepsLifecycleInOrder(t *testing.T) {
	const sockets = 20
	h := &seqHandler{recHandler: newRecHandler()}
	g := gateway.New(fakeAuth{"CP1": {}}, h, gateway.Options{})
	s := &testServer{g: g, h: h.recHandler, srv: serveGateway(t, g)}
	// Sockets of one charger come and go concurrently.
	var wg sync.WaitGroup
	for range sockets {
		wg.Go(func() {
			ws, _, err := s.dial(t, dialOpts{path: "CP1"})
			if err != nil {
				t.Errorf("dial: %v", err)
				return
			}
			ws.CloseNow()
		})
	}
	wg.Wait()
	g.Close()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.overlp > 0 {
		t.Errorf("got %d overlapping lifecycle callbacks, want none", h.overlp)
	}
	// Every socket is Connected; a socket replaced by a newer one is not
	// reported Disconnected, so Disconnected never follows Disconnected,
	// and the last event says the charger is gone.
	connected := 0
	for i, e := range h.seq {
		if e == "C" {
			connected++
		}
		if e == "D" && (i == 0 || h.seq[i-1] == "D") {
			t.Errorf("event %d: Disconnected without a Connected before it in %v", i, h.seq)
		}
	}
	if connected != sockets {
		t.Errorf("got %d Connected, want %d", connected, sockets)
	}
	if n := len(h.seq); n == 0 || h.seq[n-1] != "D" {
		t.Errorf("got sequence %v, want it to end with Disconnected", h.seq)
	}
}

func TestManyChargers(t *testing.T) {
	const chargers, callsEach = 200, 4
	auth := fakeAuth{}
	for i := range chargers {
		auth[fmt.Sprintf("CP%03d", i)] = account{}
	}
	s := newTestServer(t, auth, gateway.Options{})
	var wg sync.WaitGroup
	errs := make(chan error, chargers*2)
	for i := range chargers {
		id := fmt.Sprintf("CP%03d", i)
		ws, _, err := s.dial(t, dialOpts{path: id})
		if err != nil {
			t.Fatalf("dial %s: %v", id, err)
		}
		wg.Go(func() { errs <- runCharger(ws, callsEach) })
	}
	for range chargers {
		s.h.nextEvent(t)
	}
	// One outgoing Call per charger, all at once, while they send.
	for i := range chargers {
		id := fmt.Sprintf("CP%03d", i)
		wg.Go(func() {
			var resp ocpp.ResetResponse
			if err := s.g.Call(context.Background(), id, ocpp.ActionReset, hardReset, &resp); err != nil {
				errs <- fmt.Errorf("Call %s: %w", id, err)
				return
			}
			if resp.Status != ocpp.ResetStatusAccepted {
				errs <- fmt.Errorf("Call %s: got status %q, want Accepted", id, resp.Status)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	st := s.g.Stats()
	if st.Connections != chargers || st.CallsIn != chargers*callsEach || st.CallsOut != chargers {
		t.Errorf("got %d connections, %d calls in, %d calls out; want %d, %d, %d",
			st.Connections, st.CallsIn, st.CallsOut, chargers, chargers*callsEach, chargers)
	}
}

// runCharger plays a charger: it sends n CALLs one after the other,
// answers the server's Reset whenever it comes, and returns once all its
// CALLs are answered and the Reset was seen.
func runCharger(ws *websocket.Conn, n int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 4*wait)
	defer cancel()
	write := func(s string) error { return ws.Write(ctx, websocket.MessageText, []byte(s)) }
	sent, answered, reset := 0, 0, false
	next := func() error {
		sent++
		return write(fmt.Sprintf(`[2,"c%d","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available"}]`, sent))
	}
	if err := next(); err != nil {
		return err
	}
	for answered < n || !reset {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return fmt.Errorf("read after %d answers: %w", answered, err)
		}
		f, err := ocpp.ParseFrame(data)
		if err != nil {
			return fmt.Errorf("parse %s: %w", data, err)
		}
		switch f.Type {
		case ocpp.Call:
			reset = true
			if err := write(`[3,"` + f.ID + `",{"status":"Accepted"}]`); err != nil {
				return err
			}
		case ocpp.CallResult:
			answered++
			if want := fmt.Sprintf("c%d", answered); f.ID != want {
				return fmt.Errorf("got answer %q, want %q", f.ID, want)
			}
			if sent < n {
				if err := next(); err != nil {
					return err
				}
			}
		default:
			return errors.New("unexpected CALLERROR: " + string(data))
		}
	}
	return nil
}
