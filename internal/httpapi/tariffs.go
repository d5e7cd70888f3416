package httpapi

import (
	"context"
	"net/http"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/tariff"
	"github.com/danielgtaylor/huma/v2"
)

// TariffView is a tariff with its versions.
type TariffView struct {
	ID       string              `json:"id"`
	Name     string              `json:"name"`
	SiteID   string              `json:"site_id"`
	Default  bool                `json:"default"`
	Versions []TariffVersionView `json:"versions"`
}

// TariffVersionView is one version; prices in 1/10000 yuan per kWh.
type TariffVersionView struct {
	ID        string `json:"id"`
	CreatedBy string `json:"created_by"`
	tariff.Version
}

func viewTariff(t billing.Tariff) TariffView {
	v := TariffView{ID: t.ID, Name: t.Name, SiteID: t.SiteID, Default: t.Default, Versions: []TariffVersionView{}}
	for _, x := range t.Versions {
		v.Versions = append(v.Versions, TariffVersionView{ID: x.ID, CreatedBy: x.CreatedBy, Version: x.Spec})
	}
	return v
}

// PriceView is the price in force at a charger now.
type PriceView struct {
	Period       string    `json:"period" doc:"peak, flat, valley or a custom name"`
	EnergyPrice  int64     `json:"energy_price" doc:"1/10000 yuan per kWh"`
	ServicePrice int64     `json:"service_price" doc:"1/10000 yuan per kWh"`
	EndsAt       time.Time `json:"ends_at"`
}

// SegmentView is one stretch of today's price timeline.
type SegmentView struct {
	Period       string    `json:"period"`
	EnergyPrice  int64     `json:"energy_price"`
	ServicePrice int64     `json:"service_price"`
	From         time.Time `json:"from"`
	To           time.Time `json:"to"`
}

// priceOf is the current price of a charger, or nil without billing.
func (s *Server) priceOf(ctx context.Context, p *billing.Pricer, c charging.Charger) (*PriceView, []SegmentView) {
	if p == nil {
		return nil, nil
	}
	period, ends, day, err := p.Now(ctx, c, s.deps.Clock.Now())
	if err != nil {
		return nil, nil
	}
	segs := make([]SegmentView, len(day))
	for i, x := range day {
		segs[i] = SegmentView{Period: x.Period.Name, EnergyPrice: x.Period.EnergyPrice, ServicePrice: x.Period.ServicePrice, From: x.From, To: x.To}
	}
	return &PriceView{Period: period.Name, EnergyPrice: period.EnergyPrice, ServicePrice: period.ServicePrice, EndsAt: ends}, segs
}

// pricer reads the tariffs once for a response, or nil without billing.
func (s *Server) pricer(ctx context.Context) *billing.Pricer {
	if s.deps.Billing == nil {
		return nil
	}
	p, err := s.deps.Billing.Pricer(ctx)
	if err != nil {
		s.deps.Log.Warn("tariffs unavailable", "err", err)
		return nil
	}
	return p
}

// TariffBody is a tariff version's input.
type TariffBody struct {
	EffectiveFrom       time.Time       `json:"effective_from,omitempty" doc:"When it takes effect (default now); never in the past"`
	Periods             []tariff.Period `json:"periods" minItems:"1" maxItems:"48"`
	IdleFeeFenPerMinute int64           `json:"idle_fee_fen_per_minute,omitempty" minimum:"0"`
	IdleGraceMinutes    int64           `json:"idle_grace_minutes,omitempty" minimum:"0"`
	IdleFeeCapFen       int64           `json:"idle_fee_cap_fen,omitempty" minimum:"0"`
	ReservationFeeFen   int64           `json:"reservation_fee_fen,omitempty" minimum:"0"`
	NoShowFeeFen        int64           `json:"no_show_fee_fen,omitempty" minimum:"0"`
}

func (b TariffBody) spec() tariff.Version {
	return tariff.Version{EffectiveFrom: b.EffectiveFrom, Periods: b.Periods, IdleFeeFenPerMinute: b.IdleFeeFenPerMinute, IdleGraceMinutes: b.IdleGraceMinutes,
		IdleFeeCapFen: b.IdleFeeCapFen, ReservationFeeFen: b.ReservationFeeFen, NoShowFeeFen: b.NoShowFeeFen}
}

func (s *Server) registerTariffs() {
	type tariffOut struct{ Body TariffView }
	register(s, huma.Operation{OperationID: "tariffs-list", Method: http.MethodGet, Path: "/tariffs", Summary: "Tariffs with their versions", Tags: []string{"tariffs"}}, account.PermSelf,
		func(ctx context.Context, _ *struct{}) (*struct{ Body []TariffView }, error) {
			ts, err := s.deps.Billing.Tariffs(ctx)
			if err != nil {
				return nil, err
			}
			out := &struct{ Body []TariffView }{Body: make([]TariffView, len(ts))}
			for i, t := range ts {
				out.Body[i] = viewTariff(t)
			}
			return out, nil
		})
	register(s, huma.Operation{OperationID: "tariffs-create", Method: http.MethodPost, Path: "/tariffs", Summary: "Create a tariff (for a site, or to assign to chargers)", Tags: []string{"tariffs"}, DefaultStatus: http.StatusCreated}, account.PermTariffsWrite,
		func(ctx context.Context, in *struct {
			Body struct {
				Name   string `json:"name" maxLength:"100"`
				SiteID string `json:"site_id,omitempty" maxLength:"26"`
				TariffBody
			}
		}) (*tariffOut, error) {
			t, err := s.deps.Billing.CreateTariff(ctx, currentUser(ctx), in.Body.Name, in.Body.SiteID, false, in.Body.spec())
			if err != nil {
				return nil, err
			}
			return &tariffOut{Body: viewTariff(t)}, nil
		})
	register(s, huma.Operation{OperationID: "tariffs-add-version", Method: http.MethodPost, Path: "/tariffs/{id}/versions", Summary: "Add a price version taking effect at effective_from", Tags: []string{"tariffs"}, DefaultStatus: http.StatusCreated}, account.PermTariffsWrite,
		func(ctx context.Context, in *struct {
			IDParam
			Body TariffBody
		}) (*tariffOut, error) {
			t, err := s.deps.Billing.AddVersion(ctx, currentUser(ctx), in.ID, in.Body.spec())
			if err != nil {
				return nil, err
			}
			return &tariffOut{Body: viewTariff(t)}, nil
		})
	register(s, huma.Operation{OperationID: "chargers-prices", Method: http.MethodGet, Path: "/chargers/{id}/prices", Summary: "A charger's price now and today's price timeline", Tags: []string{"tariffs"}}, account.PermSelf,
		func(ctx context.Context, in *struct {
			ID string `path:"id" maxLength:"64"`
		}) (*struct {
			Body struct {
				Current *PriceView    `json:"current"`
				Today   []SegmentView `json:"today"`
			}
		}, error) {
			c, err := s.deps.Charging.Charger(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			out := &struct {
				Body struct {
					Current *PriceView    `json:"current"`
					Today   []SegmentView `json:"today"`
				}
			}{}
			out.Body.Current, out.Body.Today = s.priceOf(ctx, s.pricer(ctx), c)
			return out, nil
		})
}
