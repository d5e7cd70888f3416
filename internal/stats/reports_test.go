package stats

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestUtilisationShares(t *testing.T) {
	from := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(10 * time.Hour)
	two := []ConnectorInfo{{ID: 0, Status: "Available"}, {ID: 1, Status: "Available"}, {ID: 2, Status: "Faulted", StatusAt: to.Add(-2 * time.Hour)}}
	tests := []struct {
		name   string
		conns  []ConnectorInfo
		total  ChargerTotal
		busyMS int64
		want   [4]int64 // charging, occupied, faulted, idle (s)
	}{
		{"quiet", []ConnectorInfo{{ID: 1, Status: "Available"}}, ChargerTotal{}, 0, [4]int64{0, 0, 0, 36000}},
		{"charging and idle fee", []ConnectorInfo{{ID: 1}}, ChargerTotal{IdleMinutes: 30}, 4 * 3600_000, [4]int64{4*3600 - 1800, 1800, 0, 6 * 3600}},
		{"idle minutes capped by busy time", []ConnectorInfo{{ID: 1}}, ChargerTotal{IdleMinutes: 600}, 3600_000, [4]int64{0, 3600, 0, 9 * 3600}},
		{"two connectors, one faulted for 2h", two, ChargerTotal{}, 5 * 3600_000, [4]int64{5 * 3600, 0, 2 * 3600, 13 * 3600}},
		{"faulted before the period", []ConnectorInfo{{ID: 1, Status: "Faulted", StatusAt: from.Add(-time.Hour)}}, ChargerTotal{}, 0, [4]int64{0, 0, 36000, 0}},
		{"busy beyond capacity is capped", []ConnectorInfo{{ID: 1}}, ChargerTotal{}, 11 * 3600_000, [4]int64{36000, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := utilisation(ChargerInfo{ID: "c", Connectors: tt.conns}, tt.total, tt.busyMS, from, to)
			got := [4]int64{u.ChargingS, u.OccupiedS, u.FaultedS, u.IdleS}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("seconds (-want +got):\n%s", diff)
			}
			if sum := u.ChargingShare + u.OccupiedShare + u.FaultedShare + u.IdleShare; sum < 0.999999 || sum > 1.000001 {
				t.Errorf("shares sum to %v, want 1", sum)
			}
			if u.ChargingS+u.OccupiedS+u.FaultedS+u.IdleS != u.CapacityS {
				t.Errorf("got parts summing to %d, want capacity %d", u.ChargingS+u.OccupiedS+u.FaultedS+u.IdleS, u.CapacityS)
			}
		})
	}
}

func TestHeatmapInSiteTime(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	// 2025-03-02 23:30 UTC is Monday 07:30 in Shanghai.
	at := time.Date(2025, 3, 2, 23, 30, 0, 0, time.UTC).UnixMilli()
	tests := []struct {
		name      string
		loc       *time.Location
		buckets   []Bucket
		wd, hour  int
		wantCount int64
	}{
		{"shanghai monday morning", sh, []Bucket{{StartMS: at, Count: 3}, {StartMS: at + 15*60_000, Count: 2}}, 0, 7, 5},
		{"utc sunday night", time.UTC, []Bucket{{StartMS: at, Count: 3}}, 6, 23, 3},
		// 2025-03-09 07:15 UTC: 03:15 EDT, just after the spring-forward gap.
		{"new york after DST change", ny, []Bucket{{StartMS: time.Date(2025, 3, 9, 7, 15, 0, 0, time.UTC).UnixMilli(), Count: 1}}, 6, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := heatmap(tt.buckets, tt.loc)
			if got := h.Counts[tt.wd][tt.hour]; got != tt.wantCount {
				t.Errorf("got %d at [%d][%d], want %d", got, tt.wd, tt.hour, tt.wantCount)
			}
			if h.Max != tt.wantCount {
				t.Errorf("got max %d, want %d", h.Max, tt.wantCount)
			}
		})
	}
}

func TestDashboardClassification(t *testing.T) {
	k := func(statuses ...string) []ConnectorInfo {
		out := []ConnectorInfo{{ID: 0, Status: "Available"}}
		for i, s := range statuses {
			out = append(out, ConnectorInfo{ID: i + 1, Status: s})
		}
		return out
	}
	cs := []ChargerInfo{
		{ID: "a", State: "active", Online: true, Connectors: k("Charging", "Available")},
		{ID: "b", State: "active", Online: true, Connectors: k("Faulted", "Available")},
		{ID: "c", State: "active", Online: false, Connectors: k("Available")},
		{ID: "d", State: "active", Online: true, Connectors: k("Unavailable", "Unavailable")},
		{ID: "e", State: "disabled", Online: true, Connectors: k("Available")},
		{ID: "f", State: "active", Online: true, Connectors: k("SuspendedEV")},
	}
	got := dashboard(cs)
	want := Dashboard{Chargers: 6, Online: 5, Offline: 1, Charging: 2, Free: 2, Faulted: 1, Maintenance: 2,
		Connectors: map[string]int{"Charging": 1, "Available": 4, "Faulted": 1, "Unavailable": 2, "SuspendedEV": 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dashboard (-want +got):\n%s", diff)
	}
}

func TestRankAndSplit(t *testing.T) {
	uses := []ChargerUse{
		{ChargerID: "a", Kind: "fast", EnergyWh: 500, Sessions: 5, ChargingShare: 0.5},
		{ChargerID: "b", Kind: "slow", EnergyWh: 100, Sessions: 9, ChargingShare: 0.1, OccupiedShare: 0.3},
		{ChargerID: "c", Kind: "fast", EnergyWh: 0, Sessions: 0},
		{ChargerID: "d", Kind: "slow", EnergyWh: 100, Sessions: 2, ChargingShare: 0.05},
	}
	top, least := rank(uses, 2)
	ids := func(us []ChargerUse) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.ChargerID)
		}
		return out
	}
	if diff := cmp.Diff([]string{"a", "b"}, ids(top)); diff != "" {
		t.Errorf("top (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c", "d"}, ids(least)); diff != "" {
		t.Errorf("least (-want +got):\n%s", diff)
	}
	want := []KindSplit{{Kind: "fast", Chargers: 2, Sessions: 5, EnergyWh: 500}, {Kind: "slow", Chargers: 2, Sessions: 11, EnergyWh: 200}}
	if diff := cmp.Diff(want, split(uses)); diff != "" {
		t.Errorf("split (-want +got):\n%s", diff)
	}
}

func TestFillDaysAndScheduling(t *testing.T) {
	from := time.Date(2025, 2, 27, 0, 0, 0, 0, time.UTC)
	days := fillDays(from, from.AddDate(0, 0, 3), []DayRow{{Day: 20250301, Sessions: 2, EnergyWh: 10, RevenueFen: 5}})
	var dates []string
	for _, d := range days {
		dates = append(dates, d.Date)
	}
	if diff := cmp.Diff([]string{"2025-02-27", "2025-02-28", "2025-03-01", "2025-03-02"}, dates); diff != "" {
		t.Errorf("dates (-want +got):\n%s", diff)
	}
	if days[2].Sessions != 2 || days[3].Sessions != 0 {
		t.Errorf("got %+v, want the row on 2025-03-01 only", days)
	}
	s := scheduling([]StatusCount{{"used", 6}, {"expired", 2}, {"cancelled", 3}, {"active", 1}}, QueueWait{Tickets: 4, WaitMS: 4*90_000 + 3})
	if s.Reservations != 12 || s.NoShows != 2 || s.NoShowRate != 0.25 {
		t.Errorf("got %+v, want 12 reservations, 2 no-shows, rate 0.25", s)
	}
	if !s.QueueWaitAvailable || s.QueueTickets != 4 || s.AvgQueueWaitS != 90 {
		t.Errorf("got %+v, want an average wait of 90 s over 4 tickets", s)
	}
	if s := scheduling(nil, QueueWait{}); !s.QueueWaitAvailable || s.AvgQueueWaitS != 0 {
		t.Errorf("without tickets: got %+v, want an available average of 0", s)
	}
}
