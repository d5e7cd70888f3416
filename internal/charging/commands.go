package charging

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/events"
	"campuscharge/internal/ocpp"
)

// StaffCommands are the OCPP commands staff may send through the API.
func StaffCommands() []string {
	return []string{"RemoteStartTransaction", "RemoteStopTransaction", "Reset", "UnlockConnector", "ChangeAvailability", "ChangeConfiguration",
		"GetConfiguration", "TriggerMessage", "ClearCache", "DataTransfer", "ReserveNow", "CancelReservation", "SetChargingProfile",
		"ClearChargingProfile", "GetCompositeSchedule", "SendLocalList", "GetLocalListVersion", "UpdateFirmware", "GetDiagnostics"}
}

// CommandResult is the charger's answer to a command.
type CommandResult struct {
	// Response is the charger's CALLRESULT payload.
	Response json.RawMessage
	// Session is the session a remote start began, when it began in time.
	Session *Session
}

// Send sends an OCPP command to a charger and returns its answer. The
// request payload is validated against the command's schema first.
func (s *Service) Send(ctx context.Context, c Charger, action string, req any) (json.RawMessage, error) {
	if s.cmd == nil || !s.cmd.IsConnected(c.CPID) {
		return nil, apperr.New(apperr.Unavailable, "charger_offline", c.CPID)
	}
	var resp json.RawMessage
	err := s.cmd.Call(ctx, c.CPID, action, req, &resp)
	if err != nil {
		var oe *ocpp.Error
		if errors.As(err, &oe) {
			err = apperr.Wrap(err, apperr.Unavailable, "charger_error", oe.Code, oe.Description)
		}
		s.publish(events.Event{Type: events.CommandFailed, ChargerID: c.ID, SiteID: c.SiteID, Data: map[string]any{"action": action, "error": err.Error()}})
		return nil, err
	}
	return resp, nil
}

// Command is a staff member's remote command: it validates the request,
// sends it, records it in the audit log and returns the charger's answer.
// A RemoteStartTransaction also waits for the charger to start the session.
func (s *Service) Command(ctx context.Context, actor account.User, chargerID, action string, payload json.RawMessage) (CommandResult, error) {
	if !slices.Contains(StaffCommands(), action) {
		return CommandResult{}, apperr.New(apperr.NotFound, "bad_command", action)
	}
	if len(payload) == 0 || string(payload) == "null" {
		payload = json.RawMessage("{}")
	}
	req, _, err := ocpp.DecodeRequest(action, payload, ocpp.Options{Sender: ocpp.RoleCentralSystem})
	if err != nil {
		var oe *ocpp.Error
		errors.As(err, &oe)
		return CommandResult{}, &apperr.Error{Code: apperr.Invalid, Key: "invalid_input", Fields: []apperr.FieldError{{Field: "body", Key: "charger_error", Args: []any{oe.Code, oe.Description}}}}
	}
	c, err := s.Charger(ctx, chargerID)
	if err != nil {
		return CommandResult{}, err
	}
	if rs, ok := req.(*ocpp.RemoteStartTransactionRequest); ok && rs.ConnectorID != nil && *rs.ConnectorID == 0 {
		return CommandResult{}, apperr.Field("body.connectorId", "bad_connector")
	}
	if (action == "RemoteStartTransaction" || action == "RemoteStopTransaction") && c.State == StatePending {
		return CommandResult{}, apperr.New(apperr.Forbidden, "charger_not_ready", c.State)
	}
	var res CommandResult
	if action == "RemoteStartTransaction" {
		rs := req.(*ocpp.RemoteStartTransactionRequest)
		connector := 0
		if rs.ConnectorID != nil {
			connector = *rs.ConnectorID
		}
		res.Response, res.Session, err = s.remoteStart(ctx, c, connector, rs)
	} else {
		res.Response, err = s.Send(ctx, c, action, req)
	}
	after := map[string]any{"request": json.RawMessage(payload)}
	if err != nil {
		after["error"] = err.Error()
	} else {
		after["response"] = res.Response
	}
	if aerr := account.Record(ctx, s.audit, actor, "charger.command."+action, "charger", c.ID, c.CPID, nil, after); aerr != nil {
		return res, aerr
	}
	return res, err
}

// remoteStart sends RemoteStartTransaction and, when the charger accepts,
// waits for its StartTransaction on that connector and tag.
func (s *Service) remoteStart(ctx context.Context, c Charger, connector int, req *ocpp.RemoteStartTransactionRequest) (json.RawMessage, *Session, error) {
	waitCtx, cancel := context.WithTimeout(ctx, s.opt.RemoteStartWait)
	defer cancel()
	started := s.bus.Subscribe(waitCtx, 16, func(e events.Event) bool {
		if e.Type != events.SessionStarted || e.ChargerID != c.ID {
			return false
		}
		x, ok := e.Data.(Session)
		return ok && x.IDTag == req.IDTag && (connector == 0 || x.ConnectorID == connector)
	})
	resp, err := s.Send(ctx, c, "RemoteStartTransaction", req)
	if err != nil {
		return nil, nil, err
	}
	var answer ocpp.RemoteStartTransactionResponse
	if err := json.Unmarshal(resp, &answer); err != nil {
		return nil, nil, fmt.Errorf("remote start answer: %w", err)
	}
	if answer.Status != "Accepted" {
		return resp, nil, apperr.New(apperr.Conflict, "charger_rejected", answer.Status)
	}
	select {
	case e, ok := <-started:
		if ok {
			x := e.Data.(Session)
			return resp, &x, nil
		}
	case <-waitCtx.Done():
	}
	return resp, nil, nil
}

// Limits end a session early: at an energy (Wh) or a cost (fen); 0 = none.
type Limits struct {
	Wh  int64
	Fen int64
}

// Start is a driver's start: it checks the driver may charge on that
// connector, sends RemoteStartTransaction with the driver's app tag and
// returns the session once the charger starts it.
func (s *Service) Start(ctx context.Context, driver account.User, chargerID string, connector int, lim Limits) (Session, error) {
	if lim.Wh < 0 || lim.Fen < 0 {
		return Session{}, apperr.Field("body.limit", "invalid_input")
	}
	if driver.Blocked {
		return Session{}, apperr.New(apperr.Forbidden, "account_blocked", driver.BlockedReason)
	}
	c, err := s.Charger(ctx, chargerID)
	if err != nil {
		return Session{}, err
	}
	if c.State != StateActive || !c.Online {
		reason := c.State
		if !c.Online {
			reason = "offline"
		}
		return Session{}, apperr.New(apperr.Conflict, "charger_not_ready", reason)
	}
	var k *Connector
	for i := range c.Connectors {
		if c.Connectors[i].ConnectorID == connector {
			k = &c.Connectors[i]
		}
	}
	if k == nil {
		return Session{}, apperr.Field("body.connector_id", "bad_connector")
	}
	if s.heldByOther(ctx, c.ID, connector, driver.ID) {
		return Session{}, apperr.New(apperr.Conflict, "connector_reserved")
	}
	reservedForMe := k.Status == "Reserved" && s.heldBy(ctx, c.ID, connector, driver.ID)
	if k.Status != "Available" && k.Status != "Preparing" && k.Status != "Finishing" && !reservedForMe {
		return Session{}, apperr.New(apperr.Conflict, "connector_busy", k.Status)
	}
	if s.money != nil {
		if err := s.money.CanStart(ctx, driver.ID); err != nil {
			return Session{}, err
		}
	}
	if running, err := s.store.Sessions(ctx, SessionFilter{UserID: driver.ID, Status: SessionActive, Limit: 1}); err != nil {
		return Session{}, err
	} else if len(running) > 0 {
		return Session{}, apperr.New(apperr.Conflict, "already_charging")
	}
	tag, err := s.AppTag(ctx, driver.ID)
	if err != nil {
		return Session{}, err
	}
	_, x, err := s.remoteStart(ctx, c, connector, &ocpp.RemoteStartTransactionRequest{ConnectorID: &connector, IDTag: tag})
	if err != nil {
		return Session{}, err
	}
	if x == nil {
		return Session{}, apperr.New(apperr.Unavailable, "start_not_confirmed")
	}
	if lim != (Limits{}) {
		if err := s.store.SetLimits(ctx, x.ID, lim.Wh, lim.Fen); err != nil {
			return Session{}, err
		}
		x.LimitWh, x.LimitFen = lim.Wh, lim.Fen
	}
	return *x, nil
}

// Stop ends a running session with RemoteStopTransaction. Drivers may stop
// only their own sessions; staff (actor with PermChargersControl) any.
func (s *Service) Stop(ctx context.Context, actor account.User, sessionID string) (Session, error) {
	x, err := s.Session(ctx, sessionID)
	if err != nil {
		return Session{}, err
	}
	if x.UserID != actor.ID && !actor.Role.Can(account.PermChargersControl) {
		return Session{}, apperr.New(apperr.NotFound, "session_not_found") // as reading it would say
	}
	if x.Status != SessionActive {
		return Session{}, apperr.New(apperr.Conflict, "session_not_active")
	}
	c, err := s.store.Charger(ctx, x.ChargerID)
	if err != nil {
		return Session{}, err
	}
	waitCtx, cancel := context.WithTimeout(ctx, s.opt.RemoteStartWait)
	defer cancel()
	stopped := s.bus.Subscribe(waitCtx, 16, func(e events.Event) bool { return e.Type == events.SessionStopped && e.SessionID == x.ID })
	resp, err := s.Send(ctx, c, "RemoteStopTransaction", &ocpp.RemoteStopTransactionRequest{TransactionID: int(x.TransactionID)})
	if actor.Role.Staff() {
		after := map[string]any{"transaction_id": x.TransactionID}
		if err != nil {
			after["error"] = err.Error()
		}
		if aerr := account.Record(ctx, s.audit, actor, "session.stop", "session", x.ID, c.CPID, nil, after); aerr != nil && err == nil {
			err = aerr
		}
	}
	if err != nil {
		return Session{}, err
	}
	var answer ocpp.RemoteStopTransactionResponse
	if err := json.Unmarshal(resp, &answer); err != nil || answer.Status != "Accepted" {
		return Session{}, apperr.New(apperr.Conflict, "charger_rejected", answer.Status)
	}
	select {
	case <-stopped:
	case <-waitCtx.Done():
	}
	return s.Session(ctx, x.ID)
}

// Session returns a session.
func (s *Service) Session(ctx context.Context, id string) (Session, error) {
	x, err := s.store.Session(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Session{}, apperr.Wrap(err, apperr.NotFound, "session_not_found")
	}
	return x, err
}

// Sessions lists sessions newest first; the next cursor is "" at the end.
func (s *Service) Sessions(ctx context.Context, f SessionFilter) ([]Session, string, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	want := f.Limit
	f.Limit++
	xs, err := s.store.Sessions(ctx, f)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(xs) > want {
		xs, next = xs[:want], xs[want-1].ID
	}
	return xs, next, nil
}

// Samples returns a session's meter samples in time order.
func (s *Service) Samples(ctx context.Context, sessionID string) ([]Sample, error) {
	return s.store.Samples(ctx, sessionID)
}

// Elapsed is how long a session has run (until now while active).
func (x Session) Elapsed(now time.Time) time.Duration {
	end := x.StoppedAt
	if x.Status == SessionActive {
		end = now
	}
	if end.Before(x.StartedAt) {
		return 0
	}
	return end.Sub(x.StartedAt)
}
