package sim

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"

	"campuscharge/internal/clock"
)

// Fleet is a set of simulated chargers run together, sharing one set of
// statistics.
type Fleet struct {
	chargers []*Charger
	stats    *statsRecorder
}

// NewFleet builds one Charger per spec. Each gets its own random source,
// seeded from b.Rand (or from its id when b.Rand is nil), so a seeded fleet
// is reproducible.
func NewFleet(url string, specs []ChargerSpec, b Behaviour, clk clock.Clock, log *slog.Logger) *Fleet {
	f := &Fleet{stats: &statsRecorder{}}
	for _, spec := range specs {
		cb := b
		if b.Rand != nil {
			cb.Rand = rand.New(rand.NewPCG(b.Rand.Uint64(), b.Rand.Uint64()))
		}
		c := NewCharger(url, spec, cb, clk, log)
		c.stats = f.stats
		f.chargers = append(f.chargers, c)
	}
	return f
}

// Chargers returns the fleet's chargers, in spec order.
func (f *Fleet) Chargers() []*Charger { return f.chargers }

// Stats returns the figures collected so far.
func (f *Fleet) Stats() FleetStats { return f.stats.snapshot() }

// Run runs every charger until ctx ends.
func (f *Fleet) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make([]error, len(f.chargers))
	for i, c := range f.chargers {
		wg.Go(func() { errs[i] = c.Run(ctx) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("fleet: %w", err)
		}
	}
	return nil
}

// RunFleet runs one simulated charger per spec against url until ctx ends.
func RunFleet(ctx context.Context, url string, specs []ChargerSpec, b Behaviour, clk clock.Clock, log *slog.Logger) error {
	return NewFleet(url, specs, b, clk, log).Run(ctx)
}
