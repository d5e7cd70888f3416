package gateway

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/coder/websocket"

	"campuscharge/internal/apperr"
)

// ServeHTTP accepts one charger's WebSocket. It is mounted at
// "/ocpp/{id}" on an http.ServeMux and reads the charge point id from the
// percent-decoded path value "id". The handshake is refused with 400 when
// the client does not offer the ocpp1.6 subprotocol (no protocol is ever
// echoed then), 401 when the Basic user is not the charge point id or the
// Authenticator says so, 404 for an unknown charger that is not accepted
// as Pending, and 503 after Close. An accepted socket is served until it
// ends; ServeHTTP returns then.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	log := g.log.With("charger", id, "remote", r.RemoteAddr)
	if id == "" {
		g.refuse(w, log, http.StatusNotFound, "no charge point id in the URL")
		return
	}
	if !offersSubprotocol(r.Header, Subprotocol) {
		g.refuse(w, log, http.StatusBadRequest, "the WebSocket subprotocol ocpp1.6 is required (Sec-WebSocket-Protocol: ocpp1.6)")
		return
	}
	user, password, hasPassword := r.BasicAuth()
	if hasPassword && user != id {
		w.Header().Set("WWW-Authenticate", `Basic realm="ocpp"`)
		g.refuse(w, log, http.StatusUnauthorized, "the Basic auth user must be the charge point id")
		return
	}
	ch, err := g.auth.Authenticate(r.Context(), id, password, hasPassword)
	if err != nil {
		status := authStatus(err)
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="ocpp"`)
		}
		g.refuse(w, log.With("err", err), status, http.StatusText(status))
		return
	}
	if !ch.Known && !ch.Pending {
		g.refuse(w, log, http.StatusNotFound, "unknown charge point")
		return
	}
	if !g.begin() {
		g.refuse(w, log, http.StatusServiceUnavailable, "server shutting down")
		return
	}
	defer g.wg.Done()
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{Subprotocol}})
	if err != nil {
		// Accept has written the HTTP error.
		g.stats.refused.Add(1)
		log.Info("charger websocket upgrade failed", "err", err)
		return
	}
	if !strings.EqualFold(ws.Subprotocol(), Subprotocol) {
		ws.Close(websocket.StatusProtocolError, "subprotocol ocpp1.6 required")
		return
	}
	g.stats.accepted.Add(1)
	ws.SetReadLimit(g.opt.MaxMessageBytes)
	// The request context may end with the hijacked connection's handler;
	// callbacks get one that keeps the request's values but is not
	// cancelled by it.
	base := context.WithoutCancel(r.Context())
	c := newConn(g, ws, id, ch, r.RemoteAddr, base)
	c.log.Info("charger connected", "known", ch.Known, "pending", ch.Pending, "lenient", ch.Lenient)
	g.register(base, c, r.RemoteAddr)
	err = c.serve()
	c.log.Info("charger disconnected", "err", err)
	g.unregister(base, c)
}

// refuse answers a refused handshake.
func (g *Gateway) refuse(w http.ResponseWriter, log *slog.Logger, status int, text string) {
	g.stats.refused.Add(1)
	log.Info("charger handshake refused", "status", status, "reason", text)
	http.Error(w, text, status)
}

// authStatus maps an Authenticator error to the HTTP status of the refusal.
func authStatus(err error) int {
	switch apperr.CodeOf(err) {
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unavailable, apperr.RateLimited:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// offersSubprotocol reports whether the client lists proto in
// Sec-WebSocket-Protocol (comma-separated tokens, possibly over several
// header lines), ignoring case as the WebSocket library does when it
// selects the protocol to echo.
func offersSubprotocol(h http.Header, proto string) bool {
	for _, line := range h.Values("Sec-WebSocket-Protocol") {
		for tok := range strings.SplitSeq(line, ",") {
			if strings.EqualFold(strings.TrimSpace(tok), proto) {
				return true
			}
		}
	}
	return false
}
