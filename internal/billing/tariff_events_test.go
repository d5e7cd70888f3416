package billing

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
)

// TestTariffUpdatedEvent: creating a tariff and adding a version each
// publish tariff.updated, scoped to the tariff's site.
func TestTariffUpdatedEvent(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	bus := events.NewBus()
	got := bus.Subscribe(t.Context(), 8, func(e events.Event) bool { return e.Type == EventTariffUpdated })
	ch := memChargers{sites: map[string]charging.Site{"S1": {ID: "S1"}}}
	svc := NewService(&memStore{}, ch, nil, nil, bus, clock.NewFake(t0), slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Location: time.UTC})

	tr, err := svc.CreateTariff(ctx, staff(), "North", "S1", false, flat(time.Time{}, 10000))
	if err != nil {
		t.Fatal(err)
	}
	tr, err = svc.AddVersion(ctx, staff(), tr.ID, flat(t0.Add(time.Hour), 12000))
	if err != nil {
		t.Fatal(err)
	}
	var want []TariffUpdate
	for _, v := range tr.Versions {
		want = append(want, TariffUpdate{TariffID: tr.ID, VersionID: v.ID, SiteID: "S1", EffectiveFrom: v.Spec.EffectiveFrom})
	}
	var updates []TariffUpdate
	for range want {
		select {
		case e := <-got:
			if e.SiteID != "S1" || !e.At.Equal(t0) {
				t.Errorf("event site %q at %s, want S1 at %s", e.SiteID, e.At, t0)
			}
			updates = append(updates, e.Data.(TariffUpdate))
		case <-time.After(time.Second):
			t.Fatalf("got %d tariff.updated events, want %d", len(updates), len(want))
		}
	}
	if diff := cmp.Diff(want, updates); diff != "" {
		t.Errorf("tariff.updated events (-want +got):\n%s", diff)
	}
}
