package httpapi

import (
	"context"
	"net/http"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/stats"
	"github.com/danielgtaylor/huma/v2"
)

// StatsPeriod is the period and scope of every statistics report (exported:
// huma reads the query parameters of an embedded struct only when it is).
type StatsPeriod struct {
	From   time.Time `query:"from" timeFormat:"2006-01-02" doc:"First day (YYYY-MM-DD, site time zone); default 29 days before to"`
	To     time.Time `query:"to" timeFormat:"2006-01-02" doc:"Last day (YYYY-MM-DD); default today"`
	SiteID string    `query:"site_id" maxLength:"26"`
}

func (in StatsPeriod) query() stats.Query {
	return stats.Query{From: in.From, To: in.To, SiteID: in.SiteID}
}

func (s *Server) registerStats() {
	tags := []string{"stats"}
	type statsDailyOut struct {
		Body struct {
			Days   []stats.Day  `json:"days"`
			Totals stats.Totals `json:"totals"`
		}
	}
	register(s, huma.Operation{OperationID: "stats-daily", Method: http.MethodGet, Path: "/stats/daily", Summary: "Sessions, energy (Wh) and revenue (fen) per day, by bill day", Tags: tags}, account.PermStatsRead,
		func(ctx context.Context, in *StatsPeriod) (*statsDailyOut, error) {
			days, totals, err := s.deps.Stats.Daily(ctx, in.query())
			if err != nil {
				return nil, err
			}
			out := &statsDailyOut{}
			out.Body.Days, out.Body.Totals = days, totals
			return out, nil
		})
	type statsUseOut struct {
		Body struct {
			Chargers []stats.ChargerUse `json:"chargers"`
			Note     string             `json:"note"`
		}
	}
	const note = "Charging and occupied time come from sessions overlapping the period (occupied = billed idle minutes); faulted time is approximated from each connector's current Faulted status since its last change."
	register(s, huma.Operation{OperationID: "stats-utilisation", Method: http.MethodGet, Path: "/stats/utilisation", Summary: "Share of time each charger spent charging, occupied, faulted and idle", Tags: tags}, account.PermStatsRead,
		func(ctx context.Context, in *StatsPeriod) (*statsUseOut, error) {
			us, err := s.deps.Stats.Utilisation(ctx, in.query())
			if err != nil {
				return nil, err
			}
			out := &statsUseOut{}
			out.Body.Chargers, out.Body.Note = us, note
			return out, nil
		})
	register(s, huma.Operation{OperationID: "stats-heatmap", Method: http.MethodGet, Path: "/stats/heatmap", Summary: "Session starts by weekday (0 = Monday) and hour, site time zone", Tags: tags}, account.PermStatsRead,
		func(ctx context.Context, in *StatsPeriod) (*struct{ Body stats.Heatmap }, error) {
			h, err := s.deps.Stats.Heatmap(ctx, in.query())
			return &struct{ Body stats.Heatmap }{h}, err
		})
	register(s, huma.Operation{OperationID: "stats-split", Method: http.MethodGet, Path: "/stats/split", Summary: "Fast vs slow chargers: sessions, energy and revenue", Tags: tags}, account.PermStatsRead,
		func(ctx context.Context, in *StatsPeriod) (*struct{ Body []stats.KindSplit }, error) {
			sp, err := s.deps.Stats.Split(ctx, in.query())
			return &struct{ Body []stats.KindSplit }{sp}, err
		})
	type statsRankIn struct {
		StatsPeriod
		N int `query:"n" minimum:"0" maximum:"100" doc:"How many of each (default 10)"`
	}
	type statsRankOut struct {
		Body struct {
			Top   []stats.ChargerUse `json:"top" doc:"Most energy delivered first"`
			Least []stats.ChargerUse `json:"least" doc:"Least busy first"`
		}
	}
	register(s, huma.Operation{OperationID: "stats-ranking", Method: http.MethodGet, Path: "/stats/ranking", Summary: "Top and least used chargers", Tags: tags}, account.PermStatsRead,
		func(ctx context.Context, in *statsRankIn) (*statsRankOut, error) {
			top, least, err := s.deps.Stats.Ranking(ctx, in.query(), in.N)
			if err != nil {
				return nil, err
			}
			out := &statsRankOut{}
			out.Body.Top, out.Body.Least = top, least
			return out, nil
		})
	register(s, huma.Operation{OperationID: "stats-dashboard", Method: http.MethodGet, Path: "/stats/dashboard", Summary: "Chargers online, charging, free, faulted, offline, under maintenance now; today's totals", Tags: tags}, account.PermStatsRead,
		func(ctx context.Context, in *struct {
			SiteID string `query:"site_id" maxLength:"26"`
		}) (*struct{ Body stats.Dashboard }, error) {
			d, err := s.deps.Stats.Dashboard(ctx, in.SiteID)
			return &struct{ Body stats.Dashboard }{d}, err
		})
	register(s, huma.Operation{OperationID: "stats-scheduling", Method: http.MethodGet, Path: "/stats/scheduling", Summary: "Average wait from joining the queue to the first call, and reservation no-show rate", Tags: tags}, account.PermStatsRead,
		func(ctx context.Context, in *StatsPeriod) (*struct{ Body stats.Scheduling }, error) {
			sc, err := s.deps.Stats.Scheduling(ctx, in.query())
			return &struct{ Body stats.Scheduling }{sc}, err
		})
}
