package gateway_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"campuscharge/internal/apperr"
	"campuscharge/internal/gateway"
	"campuscharge/internal/ocpp"
)

// wait bounds every wait of the tests; nothing should take this long.
const wait = 5 * time.Second

// bootTime is the fixed time the test handler answers with.
var bootTime = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

// account is one charger known to fakeAuth.
type account struct {
	password string // "" means none needed
	pending  bool   // unknown, accepted as Pending
	lenient  bool
	err      error // returned by Authenticate when set
}

// fakeAuth authenticates chargers from a fixed table.
type fakeAuth map[string]account

func (a fakeAuth) Authenticate(_ context.Context, id, password string, hasPassword bool) (gateway.Charger, error) {
	acc, ok := a[id]
	if !ok {
		return gateway.Charger{}, apperr.New(apperr.NotFound, "not_found")
	}
	if acc.err != nil {
		return gateway.Charger{}, acc.err
	}
	if acc.password != "" && (!hasPassword || password != acc.password) {
		return gateway.Charger{}, apperr.New(apperr.Unauthorized, "unauthorized")
	}
	return gateway.Charger{ID: id, Known: !acc.pending, Pending: acc.pending, Lenient: acc.lenient}, nil
}

// handledCall is one HandleCall the recording handler saw.
type handledCall struct {
	ID      string
	Action  string
	Payload string
}

// recHandler records lifecycle events and calls; reply decides answers.
type recHandler struct {
	events chan string // "connected <id>", "disconnected <id>"
	calls  chan handledCall

	mu    sync.Mutex
	reply func(ctx context.Context, id, action string, payload json.RawMessage) (any, error)
}

// setReply changes how the handler answers.
func (h *recHandler) setReply(f func(ctx context.Context, id, action string, payload json.RawMessage) (any, error)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reply = f
}

func newRecHandler() *recHandler {
	return &recHandler{events: make(chan string, 4096), calls: make(chan handledCall, 4096), reply: defaultReply}
}

func (h *recHandler) HandleCall(ctx context.Context, id, action string, payload json.RawMessage) (any, error) {
	select {
	case h.calls <- handledCall{ID: id, Action: action, Payload: string(payload)}:
	default:
	}
	h.mu.Lock()
	reply := h.reply
	h.mu.Unlock()
	return reply(ctx, id, action, payload)
}

func (h *recHandler) Connected(_ context.Context, id, _ string) { h.events <- "connected " + id }

func (h *recHandler) Disconnected(_ context.Context, id string) { h.events <- "disconnected " + id }

// defaultReply answers the few actions the tests send.
func defaultReply(_ context.Context, _, action string, _ json.RawMessage) (any, error) {
	switch action {
	case ocpp.ActionBootNotification:
		return ocpp.BootNotificationResponse{Status: ocpp.RegistrationStatusAccepted, CurrentTime: ocpp.NewDateTime(bootTime), Interval: 300}, nil
	case ocpp.ActionHeartbeat:
		return ocpp.HeartbeatResponse{CurrentTime: ocpp.NewDateTime(bootTime)}, nil
	case ocpp.ActionStatusNotification:
		return ocpp.StatusNotificationResponse{}, nil
	case ocpp.ActionAuthorize:
		return ocpp.AuthorizeResponse{IDTagInfo: ocpp.IdTagInfo{Status: ocpp.AuthorizationStatusAccepted}}, nil
	}
	return nil, ocpp.Errorf(ocpp.NotSupported, "%s not supported by the test handler", action)
}

// nextEvent returns the handler's next lifecycle event.
func (h *recHandler) nextEvent(t testing.TB) string {
	t.Helper()
	select {
	case e := <-h.events:
		return e
	case <-time.After(wait):
		t.Fatal("no lifecycle event within the wait")
		return ""
	}
}

// noEvent fails if a lifecycle event is already queued.
func (h *recHandler) noEvent(t *testing.T) {
	t.Helper()
	select {
	case e := <-h.events:
		t.Fatalf("got event %q, want none", e)
	default:
	}
}

// testServer is a gateway mounted like the real server.
type testServer struct {
	g   *gateway.Gateway
	h   *recHandler
	srv *httptest.Server
}

// newTestServer starts a gateway with the given chargers on a loopback
// server; it is closed when the test ends.
func newTestServer(t testing.TB, auth fakeAuth, opt gateway.Options) *testServer {
	t.Helper()
	h := newRecHandler()
	g := gateway.New(auth, h, opt)
	return &testServer{g: g, h: h, srv: serveGateway(t, g)}
}

// serveGateway mounts g like the real server on a loopback server; both
// are closed when the test ends.
func serveGateway(t testing.TB, g *gateway.Gateway) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/ocpp/{id}", g)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		g.Close()
		srv.Close()
	})
	return srv
}

// dialOpts is how a test charger dials.
type dialOpts struct {
	path      string   // URL path after /ocpp/, already escaped; default the id
	user, pwd string   // Basic auth; none when both empty
	protos    []string // offered subprotocols; nil means ocpp1.6
}

// dial opens a charger socket; the response is returned for failed
// handshakes.
func (s *testServer) dial(t testing.TB, o dialOpts) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	protos := o.protos
	if protos == nil {
		protos = []string{"ocpp1.6"}
	}
	hdr := http.Header{}
	if o.user != "" || o.pwd != "" {
		hdr.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(o.user+":"+o.pwd)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	url := "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/ocpp/" + o.path
	ws, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: protos, HTTPHeader: hdr})
	if ws != nil {
		t.Cleanup(func() { _ = ws.CloseNow() })
	}
	return ws, resp, err
}

// connect dials as charger id with no password and waits until the
// gateway has reported it Connected.
func (s *testServer) connect(t testing.TB, id string) *websocket.Conn {
	t.Helper()
	ws, _, err := s.dial(t, dialOpts{path: id})
	if err != nil {
		t.Fatalf("dial %s: %v", id, err)
	}
	if e := s.h.nextEvent(t); e != "connected "+id {
		t.Fatalf("got event %q, want %q", e, "connected "+id)
	}
	return ws
}

// send writes one raw frame.
func send(t testing.TB, ws *websocket.Conn, frame string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := ws.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		t.Fatalf("write %s: %v", frame, err)
	}
}

// recv reads and parses one frame.
func recv(t testing.TB, ws *websocket.Conn) ocpp.Frame {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	_, data, err := ws.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	f, err := ocpp.ParseFrame(data)
	if err != nil {
		t.Fatalf("parse %s: %v", data, err)
	}
	return f
}

// reply sends a CALLRESULT answering f.
func reply(t testing.TB, ws *websocket.Conn, f ocpp.Frame, payload string) {
	t.Helper()
	send(t, ws, `[3,"`+f.ID+`",`+payload+`]`)
}

// goCall runs g.Call in the background.
func goCall(g *gateway.Gateway, id, action string, req, resp any) <-chan error {
	done := make(chan error, 1)
	go func() { done <- g.Call(context.Background(), id, action, req, resp) }()
	return done
}

// result waits for a background Call.
func result(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(wait):
		t.Fatal("Call did not return within the wait")
		return nil
	}
}

// drain reads a socket until it ends, so that the client answers pings and
// the close handshake.
func drain(ws *websocket.Conn) {
	for {
		if _, _, err := ws.Read(context.Background()); err != nil {
			return
		}
	}
}
