package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/payment"
	"campuscharge/internal/tariff"
	"github.com/danielgtaylor/huma/v2"
)

// BillView is a bill as the API shows it.
type BillView struct {
	ID             string            `json:"id"`
	Number         string            `json:"number"`
	Kind           string            `json:"kind" enum:"session,reservation" doc:"session: a charging session's bill; reservation: a fee-only bill of a reservation (no session, no energy)"`
	SessionID      string            `json:"session_id" doc:"Empty for a reservation's fee bill"`
	ReservationID  string            `json:"reservation_id,omitempty"`
	UserID         string            `json:"user_id"`
	ChargerID      string            `json:"charger_id"`
	SiteID         string            `json:"site_id"`
	ConnectorID    int               `json:"connector_id"`
	StartedAt      time.Time         `json:"started_at"`
	StoppedAt      time.Time         `json:"stopped_at"`
	DurationS      int64             `json:"duration_s"`
	EnergyWh       int64             `json:"energy_wh"`
	EnergyFee      int64             `json:"energy_fee_fen"`
	ServiceFee     int64             `json:"service_fee_fen"`
	IdleMinutes    int64             `json:"idle_minutes"`
	IdleFee        int64             `json:"idle_fee_fen"`
	ReservationFee int64             `json:"reservation_fee_fen" doc:"Reservation and no-show fees, in fen (fee bills)"`
	AdjustmentFen  int64             `json:"adjustment_fen"`
	TotalFen       int64             `json:"total_fen"`
	PaidFen        int64             `json:"paid_fen"`
	RefundedFen    int64             `json:"refunded_fen"`
	Status         string            `json:"status" enum:"unpaid,paying,paid,partly_refunded,refunded,free"`
	TariffID       string            `json:"tariff_id"`
	TariffVersion  string            `json:"tariff_version_id"`
	Lines          []tariff.Line     `json:"lines" doc:"Per-period lines: period, from, to, energy_wh, energy_price and service_price (1/10000 yuan per kWh), energy_fee and service_fee (fen)"`
	Fees           []billing.FeeLine `json:"fees" doc:"A fee bill's lines: kind (reservation, no_show) and amount_fen"`
	CreatedAt      time.Time         `json:"created_at"`
	PaidAt         time.Time         `json:"paid_at"`
}

func viewBill(b billing.Bill) BillView {
	lines := b.Lines
	if lines == nil {
		lines = []tariff.Line{}
	}
	fees := b.Fees
	if fees == nil {
		fees = []billing.FeeLine{}
	}
	kind := b.Kind
	if kind == "" {
		kind = billing.KindSession
	}
	return BillView{ID: b.ID, Number: b.Number, Kind: kind, SessionID: b.SessionID, ReservationID: b.ReservationID, ReservationFee: b.ReservationFee, Fees: fees, UserID: b.UserID, ChargerID: b.ChargerID, SiteID: b.SiteID, ConnectorID: b.Connector,
		StartedAt: b.StartedAt, StoppedAt: b.StoppedAt, DurationS: b.DurationS, EnergyWh: b.EnergyWh, EnergyFee: b.EnergyFee, ServiceFee: b.ServiceFee,
		IdleMinutes: b.IdleMinutes, IdleFee: b.IdleFee, AdjustmentFen: b.AdjustmentFen, TotalFen: b.TotalFen, PaidFen: b.PaidFen, RefundedFen: b.RefundedFen,
		Status: b.Status, TariffID: b.TariffID, TariffVersion: b.TariffVersion, Lines: lines, CreatedAt: b.CreatedAt, PaidAt: b.PaidAt}
}

// PaymentView is one payment attempt.
type PaymentView struct {
	ID        string    `json:"id"`
	Provider  string    `json:"provider"`
	Method    string    `json:"method"`
	AmountFen int64     `json:"amount_fen"`
	State     string    `json:"state"`
	Flag      string    `json:"flag"`
	PaidAt    time.Time `json:"paid_at"`
	CreatedAt time.Time `json:"created_at"`
}

// RefundView is one refund.
type RefundView struct {
	ID        string    `json:"id"`
	AmountFen int64     `json:"amount_fen"`
	Reason    string    `json:"reason"`
	State     string    `json:"state" doc:"refunding, refunded or refund_failed"`
	Flag      string    `json:"flag" doc:"Why the refund needs review (e.g. it failed)"`
	CreatedAt time.Time `json:"created_at"`
}

var monthRE = regexp.MustCompile(`^(\d{4})-(\d{2})$`)

// dayRange turns ?month=YYYY-MM or ?from=&to= dates into LocalDay bounds.
func dayRange(month string, from, to time.Time) (int, int) {
	if m := monthRE.FindStringSubmatch(month); m != nil {
		t, err := time.Parse("2006-01", month)
		if err == nil {
			return billing.Day(t), billing.Day(t.AddDate(0, 1, -1))
		}
	}
	var f, tt int
	if !from.IsZero() {
		f = billing.Day(from)
	}
	if !to.IsZero() {
		tt = billing.Day(to)
	}
	return f, tt
}

type billOut struct{ Body BillView }

func (s *Server) registerBills() {
	type listIn struct {
		PageParams
		UserID    string    `query:"user_id" maxLength:"26" doc:"Staff only"`
		ChargerID string    `query:"charger_id" maxLength:"26"`
		SiteID    string    `query:"site_id" maxLength:"26"`
		Status    string    `query:"status" enum:"unpaid,paying,paid,partly_refunded,refunded,free,"`
		Month     string    `query:"month" pattern:"^(\\d{4}-\\d{2})?$" doc:"YYYY-MM in the site's time zone"`
		From      time.Time `query:"from" timeFormat:"2006-01-02" doc:"First day (YYYY-MM-DD)"`
		To        time.Time `query:"to" timeFormat:"2006-01-02" doc:"Last day (YYYY-MM-DD)"`
	}
	filter := func(in *listIn) billing.BillFilter {
		f := billing.BillFilter{UserID: in.UserID, ChargerID: in.ChargerID, SiteID: in.SiteID, Status: in.Status, Limit: in.Limit, Cursor: in.Cursor}
		f.FromDay, f.ToDay = dayRange(in.Month, in.From, in.To)
		return f
	}
	register(s, huma.Operation{OperationID: "bills-list", Method: http.MethodGet, Path: "/bills", Summary: "Bills, newest first (drivers: their own)", Tags: []string{"bills"}}, account.PermSelf,
		func(ctx context.Context, in *listIn) (*struct{ Body Page[BillView] }, error) {
			bs, next, err := s.deps.Billing.Bills(ctx, currentUser(ctx), filter(in))
			if err != nil {
				return nil, err
			}
			out := &struct{ Body Page[BillView] }{}
			out.Body.Items, out.Body.NextCursor = make([]BillView, len(bs)), next
			for i, b := range bs {
				out.Body.Items[i] = viewBill(b)
			}
			return out, nil
		})
	type csvOut struct {
		ContentType        string `header:"Content-Type"`
		ContentDisposition string `header:"Content-Disposition"`
		Body               []byte
	}
	register(s, huma.Operation{OperationID: "bills-export", Method: http.MethodGet, Path: "/bills.csv", Summary: "Export bills as CSV (up to 100000 rows)", Tags: []string{"bills"}}, account.PermOrdersRead,
		func(ctx context.Context, in *listIn) (*csvOut, error) {
			f := filter(in)
			f.Limit = 100000
			bs, _, err := s.deps.Billing.Bills(ctx, currentUser(ctx), f)
			if err != nil {
				return nil, err
			}
			var buf bytes.Buffer
			if err := billing.WriteCSV(&buf, bs, s.deps.Location); err != nil {
				return nil, err
			}
			return &csvOut{ContentType: "text/csv; charset=utf-8", ContentDisposition: `attachment; filename="bills.csv"`, Body: buf.Bytes()}, nil
		})
	type billDetail struct {
		Body struct {
			Bill     BillView      `json:"bill"`
			Payments []PaymentView `json:"payments"`
			Refunds  []RefundView  `json:"refunds"`
		}
	}
	register(s, huma.Operation{OperationID: "bills-get", Method: http.MethodGet, Path: "/bills/{id}", Summary: "One bill with its payments and refunds", Tags: []string{"bills"}}, account.PermSelf,
		func(ctx context.Context, in *IDParam) (*billDetail, error) {
			u := currentUser(ctx)
			b, err := s.deps.Billing.Bill(ctx, u, in.ID)
			if err != nil {
				return nil, err
			}
			ps, rs, err := s.deps.Billing.Payments(ctx, u, b.ID)
			if err != nil {
				return nil, err
			}
			out := &billDetail{}
			out.Body.Bill, out.Body.Payments, out.Body.Refunds = viewBill(b), []PaymentView{}, []RefundView{}
			for _, p := range ps {
				out.Body.Payments = append(out.Body.Payments, PaymentView{ID: p.ID, Provider: p.Provider, Method: p.Method, AmountFen: p.AmountFen, State: p.State, Flag: p.Flag, PaidAt: p.PaidAt, CreatedAt: p.CreatedAt})
			}
			for _, r := range rs {
				out.Body.Refunds = append(out.Body.Refunds, RefundView{ID: r.ID, AmountFen: r.AmountFen, Reason: r.Reason, State: r.State, Flag: r.Flag, CreatedAt: r.CreatedAt})
			}
			return out, nil
		})
	type docIn struct {
		IDParam
		Format string `query:"format" enum:"html,pdf" default:"html"`
	}
	register(s, huma.Operation{OperationID: "bills-document", Method: http.MethodGet, Path: "/bills/{id}/document", Summary: "The bill as print-friendly HTML or PDF", Tags: []string{"bills"}}, account.PermSelf,
		func(ctx context.Context, in *docIn) (*csvOut, error) {
			b, err := s.deps.Billing.Bill(ctx, currentUser(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			name := b.ChargerID
			if c, err := s.deps.Charging.Charger(ctx, b.ChargerID); err == nil {
				name = c.Name + " (" + c.CPID + ")"
			}
			var buf bytes.Buffer
			out := &csvOut{ContentType: "text/html; charset=utf-8"}
			if in.Format == "pdf" {
				out.ContentType, out.ContentDisposition = "application/pdf", `attachment; filename="`+b.Number+`.pdf"`
				err = billing.WritePDF(&buf, b, name, s.deps.Location)
			} else {
				err = billing.WriteHTML(&buf, b, name, s.deps.Location)
			}
			out.Body = buf.Bytes()
			return out, err
		})
	type payIn struct {
		IDParam
		Body struct {
			Provider  string `json:"provider,omitempty" enum:"sandbox,wechatpay," doc:"Default: the configured provider"`
			Method    string `json:"method,omitempty" enum:"sandbox,jsapi,native," doc:"jsapi inside WeChat, native (QR code) on desktop"`
			OpenID    string `json:"openid,omitempty" maxLength:"128" doc:"Payer's openid (jsapi)"`
			ReturnURL string `json:"return_url,omitempty" maxLength:"300" pattern:"^(/.*)?$" doc:"Path to return to after the sandbox page"`
		}
	}
	type payOut struct {
		Body struct {
			PaymentID string               `json:"payment_id"`
			Provider  string               `json:"provider"`
			Method    string               `json:"method"`
			AmountFen int64                `json:"amount_fen"`
			PayURL    string               `json:"pay_url,omitempty" doc:"Sandbox: the page to open"`
			CodeURL   string               `json:"code_url,omitempty" doc:"Native: show as a QR code"`
			JSAPI     *payment.JSAPIParams `json:"jsapi,omitempty" doc:"JSAPI: the arguments of wx.requestPayment"`
		}
	}
	register(s, huma.Operation{OperationID: "bills-pay", Method: http.MethodPost, Path: "/bills/{id}/pay", Summary: "Pay a bill: returns what the app needs to complete payment", Tags: []string{"bills"}}, account.PermSelf,
		func(ctx context.Context, in *payIn) (*payOut, error) {
			pre, p, err := s.deps.Billing.Pay(ctx, currentUser(ctx), in.ID, in.Body.Provider, payment.Method(in.Body.Method), in.Body.OpenID, in.Body.ReturnURL)
			if err != nil {
				return nil, err
			}
			out := &payOut{}
			out.Body.PaymentID, out.Body.Provider, out.Body.Method, out.Body.AmountFen = p.ID, pre.Provider, string(pre.Method), p.AmountFen
			out.Body.PayURL, out.Body.CodeURL, out.Body.JSAPI = pre.PayURL, pre.CodeURL, pre.JSAPI
			return out, nil
		})
	register(s, huma.Operation{OperationID: "bills-refund", Method: http.MethodPost, Path: "/bills/{id}/refund", Summary: "Refund part or all of a paid bill", Tags: []string{"bills"}}, account.PermOrdersWrite,
		func(ctx context.Context, in *struct {
			IDParam
			Body struct {
				AmountFen int64  `json:"amount_fen" minimum:"1"`
				Reason    string `json:"reason" maxLength:"200"`
			}
		}) (*billOut, error) {
			b, err := s.deps.Billing.RefundBill(ctx, currentUser(ctx), in.ID, in.Body.AmountFen, in.Body.Reason)
			if err != nil {
				return nil, err
			}
			return &billOut{Body: viewBill(b)}, nil
		})
	register(s, huma.Operation{OperationID: "bills-adjust", Method: http.MethodPost, Path: "/bills/{id}/adjust", Summary: "Adjust an unpaid bill with a reason (audited)", Tags: []string{"bills"}}, account.PermOrdersWrite,
		func(ctx context.Context, in *struct {
			IDParam
			Body struct {
				AdjustmentFen int64  `json:"adjustment_fen" doc:"Added to the total; negative lowers it"`
				Reason        string `json:"reason" maxLength:"200"`
			}
		}) (*billOut, error) {
			b, err := s.deps.Billing.Adjust(ctx, currentUser(ctx), in.ID, in.Body.AdjustmentFen, in.Body.Reason)
			if err != nil {
				return nil, err
			}
			return &billOut{Body: viewBill(b)}, nil
		})

	type reportRow struct {
		Key        string `json:"key" doc:"Charger or site id"`
		Name       string `json:"name"`
		Bucket     int    `json:"bucket" doc:"Day 20261125, ISO week 202648 or month 202611"`
		Sessions   int64  `json:"sessions"`
		DurationS  int64  `json:"duration_s"`
		EnergyWh   int64  `json:"energy_wh"`
		EnergyFee  int64  `json:"energy_fee_fen"`
		ServiceFee int64  `json:"service_fee_fen"`
		IdleFee    int64  `json:"idle_fee_fen"`
		ResFee     int64  `json:"reservation_fee_fen" doc:"Reservation and no-show fees (fee bills count no session)"`
		TotalFen   int64  `json:"total_fen"`
	}
	type reportOut struct {
		Body struct {
			Rows  []reportRow `json:"rows"`
			Total reportRow   `json:"total"`
		}
	}
	register(s, huma.Operation{OperationID: "reports", Method: http.MethodGet, Path: "/reports", Summary: "Report per charger or site by day, week or month", Tags: []string{"bills"}}, account.PermStatsRead,
		func(ctx context.Context, in *struct {
			By     string    `query:"by" enum:"charger,site" default:"charger"`
			Period string    `query:"period" enum:"day,week,month" default:"day"`
			SiteID string    `query:"site_id" maxLength:"26"`
			From   time.Time `query:"from" timeFormat:"2006-01-02"`
			To     time.Time `query:"to" timeFormat:"2006-01-02"`
		}) (*reportOut, error) {
			from, to := dayRange("", in.From, in.To)
			rows, err := s.deps.Billing.Report(ctx, billing.ReportQuery{By: in.By, Period: in.Period, SiteID: in.SiteID, FromDay: from, ToDay: to})
			if err != nil {
				return nil, err
			}
			names := s.names(ctx, in.By)
			out := &reportOut{}
			out.Body.Rows = make([]reportRow, len(rows))
			out.Body.Total.Name = "total"
			for i, r := range rows {
				out.Body.Rows[i] = reportRow{Key: r.Key, Name: names[r.Key], Bucket: r.Bucket, Sessions: r.Sessions, DurationS: r.DurationS, EnergyWh: r.EnergyWh,
					EnergyFee: r.EnergyFee, ServiceFee: r.ServiceFee, IdleFee: r.IdleFee, ResFee: r.ReservationFee, TotalFen: r.TotalFen}
				t := &out.Body.Total
				t.Sessions, t.DurationS, t.EnergyWh, t.EnergyFee, t.ServiceFee, t.IdleFee, t.TotalFen = t.Sessions+r.Sessions, t.DurationS+r.DurationS,
					t.EnergyWh+r.EnergyWh, t.EnergyFee+r.EnergyFee, t.ServiceFee+r.ServiceFee, t.IdleFee+r.IdleFee, t.TotalFen+r.TotalFen
				t.ResFee += r.ReservationFee
			}
			return out, nil
		})
}

// names maps charger or site ids to names, for reports.
func (s *Server) names(ctx context.Context, by string) map[string]string {
	m := map[string]string{}
	if by == "site" {
		sites, _ := s.deps.Charging.Sites(ctx)
		for _, x := range sites {
			m[x.ID] = x.Name
		}
		return m
	}
	f := charging.ChargerFilter{Limit: 500}
	for {
		cs, next, err := s.deps.Charging.Chargers(ctx, f)
		if err != nil {
			return m
		}
		for _, c := range cs {
			m[c.ID] = c.Name
		}
		if next == "" {
			return m
		}
		f.Cursor = next
	}
}

// serveNotify is the payment providers' notification endpoint: it needs the
// raw body to verify signatures, so it sits beside huma, not in it.
func (s *Server) serveNotify(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, payment.MaxNotifyBytes)
	err := s.deps.Billing.HandleNotify(r.Context(), r.PathValue("provider"), r)
	if err != nil && apperr.CodeOf(err) == apperr.Internal {
		s.deps.Log.Error("payment notification", "provider", r.PathValue("provider"), "err", err)
	}
	payment.NotifyAck(w, err)
}
