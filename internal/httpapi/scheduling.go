package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/dispatch"
	"campuscharge/internal/scheduling"
	"github.com/danielgtaylor/huma/v2"
)

// ReservationView is a reservation as the API shows it.
type ReservationView struct {
	ID            string    `json:"id"`
	ReservationID int64     `json:"reservation_id" doc:"The OCPP reservationId sent to the charger"`
	UserID        string    `json:"user_id"`
	SiteID        string    `json:"site_id"`
	ChargerID     string    `json:"charger_id"`
	ConnectorID   int       `json:"connector_id"`
	Kind          string    `json:"kind" enum:"direct,queue" doc:"direct: the driver's own; queue: the hold of a called queue number"`
	Status        string    `json:"status" enum:"active,used,cancelled,expired"`
	AtCharger     bool      `json:"at_charger" doc:"The charger accepted ReserveNow; otherwise the hold is kept by the server"`
	ReservedAt    time.Time `json:"reserved_at"`
	ExpiresAt     time.Time `json:"expires_at" doc:"End of the hold window"`
	NoShowAt      time.Time `json:"no_show_at" doc:"Unused by then (hold window plus grace), it expires as a no-show"`
	EndedAt       time.Time `json:"ended_at,omitzero"`
	SessionID     string    `json:"session_id,omitempty"`
	FeeFen        int64     `json:"fee_fen" doc:"Reservation fee (used) or reservation plus no-show fee (expired), in fen"`
}

func viewReservation(r scheduling.Reservation) ReservationView {
	return ReservationView{ID: r.ID, ReservationID: r.OCPPID, UserID: r.UserID, SiteID: r.SiteID, ChargerID: r.ChargerID, ConnectorID: r.ConnectorID, Kind: r.Kind,
		Status: r.Status, AtCharger: r.AtCharger, ReservedAt: r.ReservedAt, ExpiresAt: r.ExpiresAt, NoShowAt: r.NoShowAt, EndedAt: r.EndedAt, SessionID: r.SessionID, FeeFen: r.FeeFen}
}

// SchedulingSettingsView is a site's scheduling settings.
type SchedulingSettingsView struct {
	WaitingCapacity    int    `json:"waiting_capacity" minimum:"1" maximum:"1000" doc:"N: cars the waiting area holds"`
	QueueLength        int    `json:"queue_length" minimum:"1" maximum:"10" doc:"M: places per connector, the first one charging"`
	Strategy           string `json:"strategy" enum:"priority,time_order" doc:"How the cars of a faulted charger are re-dispatched"`
	BatchMode          string `json:"batch_mode" enum:"none,single_batch,batch"`
	HoldWindowS        int64  `json:"hold_window_s" minimum:"60" maximum:"7200" doc:"How long a called or reserved connector waits for its driver, in seconds"`
	NoShowGraceS       int64  `json:"no_show_grace_s" minimum:"0" maximum:"3600" doc:"Grace after a reservation's hold window before it is a no-show, in seconds"`
	MaxNoShowsPerMonth int    `json:"max_no_shows_per_month" minimum:"0" maximum:"100" doc:"No-shows in a month before reservations are refused; 0 = no cap"`
	PowerLimitW        int64  `json:"power_limit_w" minimum:"0" doc:"Site power limit shared by its sessions, in W; 0 = none"`
	LoadPolicy         string `json:"load_policy" enum:"fair,favour_busy" doc:"fair: equal shares; favour_busy: queued-for and nearly finished sessions first"`
}

func viewSettings(x scheduling.Settings) SchedulingSettingsView {
	batch := string(x.BatchMode)
	if batch == "" {
		batch = "none"
	}
	return SchedulingSettingsView{WaitingCapacity: x.WaitingCapacity, QueueLength: x.QueueLength, Strategy: string(x.Strategy), BatchMode: batch,
		HoldWindowS: int64(x.HoldWindow / time.Second), NoShowGraceS: int64(x.NoShowGrace / time.Second), MaxNoShowsPerMonth: x.MaxNoShowsPerMonth,
		PowerLimitW: x.PowerLimitW, LoadPolicy: string(x.LoadPolicy)}
}

// seesAllReservations reports whether a user may see and cancel everyone's
// reservations and queue numbers.
func seesAllReservations(u account.User) bool { return u.Role.Can(account.PermChargersControl) }

func (s *Server) registerScheduling() {
	sch := s.deps.Scheduling
	tags := []string{"scheduling"}
	type reservationOut struct{ Body ReservationView }
	type reserveIn struct {
		Body struct {
			ChargerID   string `json:"charger_id,omitempty" maxLength:"26" doc:"Reserve this charger's connector…"`
			ConnectorID int    `json:"connector_id,omitempty" minimum:"0" maximum:"8"`
			SiteID      string `json:"site_id,omitempty" maxLength:"26" doc:"…or any free connector of this mode at this site"`
			Mode        string `json:"mode,omitempty" enum:"fast,slow,"`
		}
	}
	register(s, huma.Operation{OperationID: "reservations-create", Method: http.MethodPost, Path: "/reservations", Summary: "Reserve a free connector",
		Description: "Holds a connector for the site's hold window (plus grace); the charger is sent ReserveNow. One active reservation per driver; refused after the site's monthly no-show cap.",
		Tags:        tags, DefaultStatus: http.StatusCreated}, account.PermSelf,
		func(ctx context.Context, in *reserveIn) (*reservationOut, error) {
			b := in.Body
			if b.ChargerID != "" && b.ConnectorID == 0 {
				b.ConnectorID = 1
			}
			r, err := sch.Reserve(ctx, currentUser(ctx).ID, scheduling.ReserveInput{ChargerID: b.ChargerID, ConnectorID: b.ConnectorID, SiteID: b.SiteID, Mode: dispatch.Mode(b.Mode)})
			if err != nil {
				return nil, err
			}
			return &reservationOut{Body: viewReservation(r)}, nil
		})
	type listIn struct {
		UserID string `query:"user_id" maxLength:"26" doc:"Staff only; drivers always see their own"`
		SiteID string `query:"site_id" maxLength:"26"`
		Status string `query:"status" enum:"active,used,cancelled,expired,"`
		Limit  int    `query:"limit" minimum:"0" maximum:"200" doc:"Most recent first (default 50)"`
	}
	register(s, huma.Operation{OperationID: "reservations-list", Method: http.MethodGet, Path: "/reservations", Summary: "Reservations, newest first", Tags: tags}, account.PermSelf,
		func(ctx context.Context, in *listIn) (*struct{ Body Page[ReservationView] }, error) {
			f := scheduling.ReservationFilter{UserID: in.UserID, SiteID: in.SiteID, Status: in.Status, Limit: in.Limit}
			if f.Limit == 0 {
				f.Limit = 50
			}
			if u := currentUser(ctx); !seesAllReservations(u) {
				f.UserID = u.ID
			}
			rs, err := sch.Reservations(ctx, f)
			if err != nil {
				return nil, err
			}
			out := &struct{ Body Page[ReservationView] }{}
			out.Body.Items = make([]ReservationView, len(rs))
			for i, r := range rs {
				out.Body.Items[i] = viewReservation(r)
			}
			return out, nil
		})
	type idIn struct {
		ID string `path:"id" maxLength:"26"`
	}
	register(s, huma.Operation{OperationID: "reservations-cancel", Method: http.MethodPost, Path: "/reservations/{id}/cancel", Summary: "Cancel a reservation (no fee)", Tags: tags}, account.PermSelf,
		func(ctx context.Context, in *idIn) (*reservationOut, error) {
			u := currentUser(ctx)
			r, err := sch.CancelReservation(ctx, u.ID, seesAllReservations(u), in.ID)
			if err != nil {
				return nil, err
			}
			return &reservationOut{Body: viewReservation(r)}, nil
		})

	type ticketOut struct{ Body scheduling.TicketView }
	type joinIn struct {
		Body struct {
			SiteID   string `json:"site_id" maxLength:"26"`
			Mode     string `json:"mode" enum:"fast,slow"`
			EnergyWh int64  `json:"energy_wh" minimum:"1" maximum:"1000000" doc:"Energy wanted, in Wh"`
		}
	}
	register(s, huma.Operation{OperationID: "queue-join", Method: http.MethodPost, Path: "/queue", Summary: "Join a site's queue",
		Description: "Gives a queue number (F1…, T1…). When a connector of the mode is free the driver is called at once and the connector reserved for the hold window.",
		Tags:        tags, DefaultStatus: http.StatusCreated}, account.PermSelf,
		func(ctx context.Context, in *joinIn) (*ticketOut, error) {
			v, err := sch.Join(ctx, currentUser(ctx).ID, in.Body.SiteID, dispatch.Mode(in.Body.Mode), in.Body.EnergyWh)
			if err != nil {
				return nil, err
			}
			return &ticketOut{Body: v}, nil
		})
	register(s, huma.Operation{OperationID: "queue-mine", Method: http.MethodGet, Path: "/queue", Summary: "My queue number: position, connector, expected start", Tags: tags}, account.PermSelf,
		func(ctx context.Context, _ *struct{}) (*struct{ Body Page[scheduling.TicketView] }, error) {
			vs, err := sch.Tickets(ctx, currentUser(ctx).ID)
			if err != nil {
				return nil, err
			}
			out := &struct{ Body Page[scheduling.TicketView] }{}
			out.Body.Items = vs
			return out, nil
		})
	type energyIn struct {
		ID   string `path:"id" maxLength:"26"`
		Body struct {
			EnergyWh int64 `json:"energy_wh" minimum:"1" maximum:"1000000" doc:"Energy wanted, in Wh"`
		}
	}
	register(s, huma.Operation{OperationID: "queue-energy", Method: http.MethodPost, Path: "/queue/{id}/energy", Summary: "Change the energy wanted (keeps the number; refused once placed)", Tags: tags}, account.PermSelf,
		func(ctx context.Context, in *energyIn) (*ticketOut, error) {
			v, err := sch.ChangeEnergy(ctx, currentUser(ctx).ID, in.ID, in.Body.EnergyWh)
			if err != nil {
				return nil, err
			}
			return &ticketOut{Body: v}, nil
		})
	type modeIn struct {
		ID   string `path:"id" maxLength:"26"`
		Body struct {
			Mode string `json:"mode" enum:"fast,slow"`
		}
	}
	register(s, huma.Operation{OperationID: "queue-mode", Method: http.MethodPost, Path: "/queue/{id}/mode", Summary: "Change the mode (new number; refused once placed)", Tags: tags}, account.PermSelf,
		func(ctx context.Context, in *modeIn) (*ticketOut, error) {
			v, err := sch.ChangeMode(ctx, currentUser(ctx).ID, in.ID, dispatch.Mode(in.Body.Mode))
			if err != nil {
				return nil, err
			}
			return &ticketOut{Body: v}, nil
		})
	register(s, huma.Operation{OperationID: "queue-cancel", Method: http.MethodPost, Path: "/queue/{id}/cancel", Summary: "Leave the queue (a running session is stopped and billed)", Tags: tags}, account.PermSelf,
		func(ctx context.Context, in *idIn) (*ticketOut, error) {
			u := currentUser(ctx)
			v, err := sch.Cancel(ctx, u.ID, seesAllReservations(u), in.ID)
			if err != nil {
				return nil, err
			}
			return &ticketOut{Body: v}, nil
		})
	register(s, huma.Operation{OperationID: "sites-queue", Method: http.MethodGet, Path: "/sites/{id}/queue", Summary: "A site's queues: every connector's queue, the waiting area and displaced cars", Tags: tags}, account.PermChargersRead,
		func(ctx context.Context, in *idIn) (*struct{ Body scheduling.SiteQueue }, error) {
			q, err := sch.SiteQueue(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body scheduling.SiteQueue }{Body: q}, nil
		})
	type settingsOut struct{ Body SchedulingSettingsView }
	register(s, huma.Operation{OperationID: "sites-scheduling-get", Method: http.MethodGet, Path: "/sites/{id}/scheduling", Summary: "A site's scheduling settings", Tags: tags}, account.PermChargersRead,
		func(ctx context.Context, in *idIn) (*settingsOut, error) {
			x, err := sch.Settings(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &settingsOut{Body: viewSettings(x)}, nil
		})
	type settingsIn struct {
		ID   string `path:"id" maxLength:"26"`
		Body SchedulingSettingsView
	}
	register(s, huma.Operation{OperationID: "sites-scheduling-put", Method: http.MethodPut, Path: "/sites/{id}/scheduling", Summary: "Change a site's scheduling settings", Tags: tags}, account.PermSitesWrite,
		func(ctx context.Context, in *settingsIn) (*settingsOut, error) {
			b := in.Body
			before, err := sch.Settings(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			x, err := sch.SetSettings(ctx, scheduling.Settings{SiteID: in.ID, WaitingCapacity: b.WaitingCapacity, QueueLength: b.QueueLength, Strategy: dispatch.Strategy(b.Strategy),
				BatchMode: dispatch.BatchMode(b.BatchMode), HoldWindow: time.Duration(b.HoldWindowS) * time.Second, NoShowGrace: time.Duration(b.NoShowGraceS) * time.Second,
				MaxNoShowsPerMonth: b.MaxNoShowsPerMonth, PowerLimitW: b.PowerLimitW, LoadPolicy: dispatch.LoadPolicy(b.LoadPolicy)})
			if err != nil {
				return nil, err
			}
			if err := account.Record(ctx, s.deps.AuditLog, currentUser(ctx), "site.scheduling", "site", in.ID, in.ID, viewSettings(before), viewSettings(x)); err != nil {
				return nil, fmt.Errorf("audit scheduling settings of site %s: %w", in.ID, err)
			}
			return &settingsOut{Body: viewSettings(x)}, nil
		})
}
