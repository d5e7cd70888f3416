package httpapi

import (
	"context"
	"net/http"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"github.com/danielgtaylor/huma/v2"
)

// SessionView is a charging session as the API shows it.
type SessionView struct {
	ID            string    `json:"id"`
	TransactionID int64     `json:"transaction_id"`
	ChargerID     string    `json:"charger_id"`
	SiteID        string    `json:"site_id"`
	ConnectorID   int       `json:"connector_id"`
	UserID        string    `json:"user_id"`
	Status        string    `json:"status" enum:"active,stopped"`
	StartedAt     time.Time `json:"started_at"`
	StoppedAt     time.Time `json:"stopped_at"`
	DurationS     int64     `json:"duration_s" doc:"Elapsed time so far (active) or in all, in seconds"`
	MeterStart    int64     `json:"meter_start_wh"`
	MeterStop     int64     `json:"meter_stop_wh"`
	EnergyWh      int64     `json:"energy_wh"`
	PowerW        int       `json:"power_w"`
	SoC           int       `json:"soc" doc:"State of charge in percent; -1 if unknown"`
	LastMeterAt   time.Time `json:"last_meter_at"`
	StopReason    string    `json:"stop_reason"`
	AuthStatus    string    `json:"auth_status"`
	Flag          string    `json:"flag" doc:"Why the session needs review, if it does"`
	LimitWh       int64     `json:"limit_wh"`
	LimitFen      int64     `json:"limit_fen"`
	CostFen       *int64    `json:"cost_fen,omitempty" doc:"Cost so far (active, on single-session reads) or the bill's total (stopped), in fen"`
	BillID        string    `json:"bill_id,omitempty"`
}

func viewSession(x charging.Session, now time.Time) SessionView {
	return SessionView{ID: x.ID, TransactionID: x.TransactionID, ChargerID: x.ChargerID, SiteID: x.SiteID, ConnectorID: x.ConnectorID, UserID: x.UserID,
		Status: x.Status, StartedAt: x.StartedAt, StoppedAt: x.StoppedAt, DurationS: int64(x.Elapsed(now) / time.Second), MeterStart: x.MeterStart,
		MeterStop: x.MeterStop, EnergyWh: x.EnergyWh, PowerW: x.PowerW, SoC: x.SoC, LastMeterAt: x.LastMeterAt, StopReason: x.StopReason, AuthStatus: x.AuthStatus, Flag: x.Flag, LimitWh: x.LimitWh, LimitFen: x.LimitFen}
}

// SampleView is one meter sample; absent values are null.
type SampleView struct {
	At        time.Time `json:"at"`
	EnergyWh  *int64    `json:"energy_wh"`
	PowerW    *int64    `json:"power_w"`
	CurrentMA *int64    `json:"current_ma"`
	VoltageMV *int64    `json:"voltage_mv"`
	SoC       *int64    `json:"soc"`
	Signed    string    `json:"signed_data,omitempty"`
}

// withCost adds the cost so far (or the bill) to a session's view.
func (s *Server) withCost(ctx context.Context, x charging.Session) SessionView {
	v := viewSession(x, s.deps.Clock.Now())
	if s.deps.Billing == nil {
		return v
	}
	if x.Status == charging.SessionActive {
		if cost, err := s.deps.Billing.CostSoFar(ctx, x); err == nil {
			v.CostFen = &cost
		}
		return v
	}
	if b, err := s.deps.Billing.BillOfSession(ctx, currentUser(ctx), x.ID); err == nil {
		v.CostFen, v.BillID = &b.TotalFen, b.ID
	}
	return v
}

// addBills sets the bill and its total on the views of stopped sessions
// whose bills the viewer may read, with one query for the page.
func (s *Server) addBills(ctx context.Context, views []SessionView, stopped []string) {
	if s.deps.Billing == nil || len(stopped) == 0 {
		return
	}
	bills, _, err := s.deps.Billing.Bills(ctx, currentUser(ctx), billing.BillFilter{SessionIDs: stopped, Limit: len(stopped)})
	if err != nil {
		s.deps.Log.Warn("bills of a session page", "err", err)
		return
	}
	bySession := make(map[string]billing.Bill, len(bills))
	for _, b := range bills {
		bySession[b.SessionID] = b
	}
	for i := range views {
		if b, ok := bySession[views[i].ID]; ok {
			views[i].CostFen, views[i].BillID = &b.TotalFen, b.ID
		}
	}
}

// seesAllSessions reports whether a user may see everyone's sessions.
func seesAllSessions(u account.User) bool {
	return u.Role.Can(account.PermOrdersRead) || u.Role.Can(account.PermChargersRead)
}

type sessionOut struct{ Body SessionView }

func (s *Server) ownSession(ctx context.Context, id string) (charging.Session, error) {
	x, err := s.deps.Charging.Session(ctx, id)
	if err != nil {
		return x, err
	}
	if u := currentUser(ctx); x.UserID != u.ID && !seesAllSessions(u) {
		return charging.Session{}, apperr.New(apperr.NotFound, "session_not_found")
	}
	return x, nil
}

func (s *Server) registerSessions() {
	type listIn struct {
		PageParams
		UserID    string    `query:"user_id" maxLength:"26" doc:"Staff only; drivers always see their own"`
		ChargerID string    `query:"charger_id" maxLength:"26"`
		SiteID    string    `query:"site_id" maxLength:"26"`
		Status    string    `query:"status" enum:"active,stopped,"`
		From      time.Time `query:"from" doc:"Started at or after (RFC 3339)"`
		To        time.Time `query:"to" doc:"Started before (RFC 3339)"`
	}
	register(s, huma.Operation{OperationID: "sessions-list", Method: http.MethodGet, Path: "/sessions", Summary: "Charging sessions, newest first", Tags: []string{"sessions"}}, account.PermSelf,
		func(ctx context.Context, in *listIn) (*struct{ Body Page[SessionView] }, error) {
			f := charging.SessionFilter{UserID: in.UserID, ChargerID: in.ChargerID, SiteID: in.SiteID, Status: in.Status, From: in.From, To: in.To, Limit: in.Limit, Cursor: in.Cursor}
			if u := currentUser(ctx); !seesAllSessions(u) {
				f.UserID = u.ID
			}
			xs, next, err := s.deps.Charging.Sessions(ctx, f)
			if err != nil {
				return nil, err
			}
			out := &struct{ Body Page[SessionView] }{}
			out.Body.Items, out.Body.NextCursor = make([]SessionView, len(xs)), next
			now := s.deps.Clock.Now()
			var stopped []string
			for i, x := range xs {
				out.Body.Items[i] = viewSession(x, now)
				if x.Status != charging.SessionActive {
					stopped = append(stopped, x.ID)
				}
			}
			s.addBills(ctx, out.Body.Items, stopped)
			return out, nil
		})
	register(s, huma.Operation{OperationID: "sessions-get", Method: http.MethodGet, Path: "/sessions/{id}", Summary: "One session", Tags: []string{"sessions"}}, account.PermSelf,
		func(ctx context.Context, in *IDParam) (*sessionOut, error) {
			x, err := s.ownSession(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &sessionOut{Body: s.withCost(ctx, x)}, nil
		})
	register(s, huma.Operation{OperationID: "sessions-samples", Method: http.MethodGet, Path: "/sessions/{id}/samples", Summary: "A session's meter samples in time order", Tags: []string{"sessions"}}, account.PermSelf,
		func(ctx context.Context, in *IDParam) (*struct{ Body []SampleView }, error) {
			if _, err := s.ownSession(ctx, in.ID); err != nil {
				return nil, err
			}
			xs, err := s.deps.Charging.Samples(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			out := &struct{ Body []SampleView }{Body: make([]SampleView, len(xs))}
			for i, x := range xs {
				out.Body[i] = SampleView{At: x.At, EnergyWh: x.EnergyWh, PowerW: x.PowerW, CurrentMA: x.CurrentMA, VoltageMV: x.VoltageMV, SoC: x.SoC, Signed: x.SignedData}
			}
			return out, nil
		})
	type startIn struct {
		Body struct {
			ChargerID   string `json:"charger_id" maxLength:"64" doc:"Charger id or charge point id (as on its QR sticker)"`
			ConnectorID int    `json:"connector_id" minimum:"1" maximum:"8"`
			LimitWh     int64  `json:"limit_wh,omitempty" minimum:"0" maximum:"1000000" doc:"Stop after this much energy (Wh); 0 = until full"`
			LimitFen    int64  `json:"limit_fen,omitempty" minimum:"0" maximum:"10000000" doc:"Stop once the session costs this much (fen); 0 = no limit"`
		}
	}
	register(s, huma.Operation{OperationID: "sessions-start", Method: http.MethodPost, Path: "/sessions", Summary: "Start charging (driver)",
		Description: "Sends RemoteStartTransaction with the driver's app tag and returns the session once the charger starts it. 409 when the connector is busy or the charger refuses; 503 when it is offline or the car is not plugged in in time.",
		Tags:        []string{"sessions"}, DefaultStatus: http.StatusCreated}, account.PermSelf,
		func(ctx context.Context, in *startIn) (*sessionOut, error) {
			x, err := s.deps.Charging.Start(ctx, currentUser(ctx), in.Body.ChargerID, in.Body.ConnectorID, charging.Limits{Wh: in.Body.LimitWh, Fen: in.Body.LimitFen})
			if err != nil {
				return nil, err
			}
			return &sessionOut{Body: viewSession(x, s.deps.Clock.Now())}, nil
		})
	register(s, huma.Operation{OperationID: "sessions-stop", Method: http.MethodPost, Path: "/sessions/{id}/stop", Summary: "Stop a running session (own, or any with chargers.control)", Tags: []string{"sessions"}}, account.PermSelf,
		func(ctx context.Context, in *IDParam) (*sessionOut, error) {
			x, err := s.deps.Charging.Stop(ctx, currentUser(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return &sessionOut{Body: s.withCost(ctx, x)}, nil
		})

	type cardView struct {
		Number    string    `json:"number"`
		Kind      string    `json:"kind" enum:"app,rfid"`
		Label     string    `json:"label"`
		CreatedAt time.Time `json:"created_at"`
	}
	register(s, huma.Operation{OperationID: "cards-list", Method: http.MethodGet, Path: "/me/cards", Summary: "My id tags: the app's tag and RFID cards", Tags: []string{"users"}}, account.PermSelf,
		func(ctx context.Context, _ *struct{}) (*struct{ Body []cardView }, error) {
			u := currentUser(ctx)
			if _, err := s.deps.Charging.AppTag(ctx, u.ID); err != nil {
				return nil, err
			}
			ts, err := s.deps.Charging.Cards(ctx, u.ID)
			if err != nil {
				return nil, err
			}
			out := &struct{ Body []cardView }{Body: make([]cardView, len(ts))}
			for i, t := range ts {
				out.Body[i] = cardView{Number: t.Tag, Kind: t.Kind, Label: t.Label, CreatedAt: t.CreatedAt}
			}
			return out, nil
		})
	register(s, huma.Operation{OperationID: "cards-add", Method: http.MethodPost, Path: "/me/cards", Summary: "Link an RFID card to my account", Tags: []string{"users"}, DefaultStatus: http.StatusCreated}, account.PermSelf,
		func(ctx context.Context, in *struct {
			Body struct {
				Number string `json:"number" maxLength:"20"`
				Label  string `json:"label,omitempty" maxLength:"100"`
			}
		}) (*struct{ Body cardView }, error) {
			t, err := s.deps.Charging.AddCard(ctx, currentUser(ctx).ID, in.Body.Number, in.Body.Label)
			if err != nil {
				return nil, err
			}
			return &struct{ Body cardView }{Body: cardView{Number: t.Tag, Kind: t.Kind, Label: t.Label, CreatedAt: t.CreatedAt}}, nil
		})
	register(s, huma.Operation{OperationID: "cards-remove", Method: http.MethodDelete, Path: "/me/cards/{number}", Summary: "Unlink one of my RFID cards", Tags: []string{"users"}, DefaultStatus: http.StatusNoContent}, account.PermSelf,
		func(ctx context.Context, in *struct {
			Number string `path:"number" maxLength:"20"`
		}) (*struct{}, error) {
			return nil, s.deps.Charging.RemoveCard(ctx, currentUser(ctx).ID, in.Number)
		})
}
