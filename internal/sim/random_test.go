package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"campuscharge/internal/clock"
	"campuscharge/internal/ocpp"
)

// TestRandomEvents: with a rate far above one per elapsed hour, each kind
// of random event happens on the next tick after the clock moves.
func TestRandomEvents(t *testing.T) {
	tests := []struct {
		name string
		set  func(*Behaviour)
		cond func(Snapshot) bool
	}{
		{"fault", func(b *Behaviour) { b.FaultRate = 1e6 }, func(s Snapshot) bool {
			k := s.Connectors[0]
			return k.Status == ocpp.ChargePointStatusFaulted && slices.Contains(faultCodes(), k.ErrorCode)
		}},
		{"driver swipes a card", func(b *Behaviour) { b.AutoPlugRate = 1e6; b.IDTags = []string{"DEMO1"} }, func(s Snapshot) bool {
			k := s.Connectors[0]
			return k.IDTag == "DEMO1" && k.TransactionID > 0 && k.Status == ocpp.ChargePointStatusCharging
		}},
		{"driver waits for a remote start", func(b *Behaviour) { b.AutoPlugRate = 1e6 }, func(s Snapshot) bool {
			return s.Connectors[0].Status == ocpp.ChargePointStatusPreparing
		}},
		{"network drop", func(b *Behaviour) { b.DropRate = 1e6 }, func(s Snapshot) bool { return s.Boots >= 2 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			cs := newFakeCS(t)
			clk := clock.NewFake(t0)
			b := testBehaviour()
			b.Rand = rand.New(rand.NewPCG(7, 7))
			tc.set(&b)
			c := startCharger(t, cs, ChargerSpec{ID: "R1"}, b, clk)
			if s := c.State(); s.Connectors[0].Status != ocpp.ChargePointStatusAvailable || s.Boots != 1 {
				t.Fatalf("before the clock moves: got %+v, want an idle charger booted once", s)
			}
			clk.Advance(time.Minute)
			if err := c.WaitFor(ctx, tc.cond); err != nil {
				t.Errorf("got %+v: %v", c.State(), err)
			}
		})
	}
}
