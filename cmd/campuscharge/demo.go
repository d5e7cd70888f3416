package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/charging"
	"campuscharge/internal/sim"
)

// demoSite is one site of the demo campus and its chargers.
type demoSite struct {
	// code is the site code; name its display name; place the short
	// Chinese name used in charger names; placeEN the car park's English
	// name used in locations.
	code, name, place, placeEN string
	// lat, lng locate the car park (WGS-84).
	lat, lng   float64
	fast, slow int
	// fastW is the DC chargers' rated power, in W.
	fastW int
}

// demoCampus is the demo campus: three car parks on one campus in Haidian,
// Beijing, with 20 chargers in all.
func demoCampus() []demoSite {
	return []demoSite{
		{code: "NORTH", name: "北门停车场 North gate car park", place: "北门", placeEN: "North gate car park", lat: 39.99880, lng: 116.31020, fast: 3, slow: 5, fastW: 120000},
		{code: "LIBRARY", name: "图书馆 Library", place: "图书馆", placeEN: "Library car park", lat: 39.99340, lng: 116.30880, fast: 2, slow: 4, fastW: 60000},
		{code: "STADIUM", name: "体育馆 Stadium", place: "体育馆", placeEN: "Stadium car park", lat: 39.99560, lng: 116.31790, fast: 2, slow: 4, fastW: 90000},
	}
}

// demoDrivers are the demo drivers' phone numbers (dev login: 13800000001…
// 13800000030) and the RFID card each one carries (DEMO0001…). There are
// more drivers than chargers, so arriving drivers rarely already have a
// session running elsewhere.
func demoDrivers() [][2]string {
	var ds [][2]string
	for i := 1; i <= 30; i++ {
		ds = append(ds, [2]string{fmt.Sprintf("138%08d", i), fmt.Sprintf("DEMO%04d", i)})
	}
	return ds
}

// seedDemo creates the demo campus unless it exists (sites, chargers and
// drivers are looked up by code, charge point id and phone, so a restart
// adds only what is missing), gives every demo charger a new password and
// returns the specs of a fleet that will play them.
func (m *Main) seedDemo(ctx context.Context) ([]sim.ChargerSpec, []string, error) {
	demoActor := account.User{Name: "demo"} // who the audit log says made the changes
	sites, err := m.charging.Sites(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: list sites: %w", err)
	}
	byCode := map[string]charging.Site{}
	for _, s := range sites {
		byCode[s.Code] = s
	}
	rnd := rand.New(rand.NewPCG(7, 7))
	var specs []sim.ChargerSpec
	for _, d := range demoCampus() {
		site, ok := byCode[d.code]
		if !ok {
			site, err = m.charging.CreateSite(ctx, demoActor, charging.SiteInput{Code: d.code, Name: d.name, Address: d.name, Lat: d.lat, Lng: d.lng, HeartbeatS: 60})
			if err != nil {
				return nil, nil, fmt.Errorf("demo: create site %s: %w", d.code, err)
			}
		}
		for i := range d.fast + d.slow {
			fast := i < d.fast
			spec := sim.ChargerSpec{ID: fmt.Sprintf("DEMO-%s-%02d", d.code, i+1), Connectors: 1, Fast: fast, MaxPowerW: 7000, Vendor: "CampusSim"}
			kind, typ, label := charging.KindSlow, "GBT_AC", "慢充"
			if fast {
				spec.MaxPowerW, kind, typ, label = d.fastW, charging.KindFast, "GBT_DC", "快充"
			}
			c, err := m.charging.Charger(ctx, spec.ID)
			if apperr.Is(err, apperr.NotFound) {
				// Bays in a row, about 3 m apart, eastwards from the entrance.
				in := charging.ChargerInput{CPID: spec.ID, SiteID: site.ID, Name: fmt.Sprintf("%s %s %02d", d.place, label, i+1),
					Location: fmt.Sprintf("%s, bay %d", d.placeEN, i+1), Lat: round6(d.lat + (rnd.Float64()-0.5)*0.0002), Lng: round6(d.lng + float64(i)*0.00004),
					Kind: kind, MaxPowerW: spec.MaxPowerW, Connectors: []charging.Connector{{ConnectorID: 1, Type: typ}}}
				c, _, err = m.charging.CreateCharger(ctx, demoActor, in)
			}
			if err != nil {
				return nil, nil, fmt.Errorf("demo: charger %s: %w", spec.ID, err)
			}
			if spec.Password, err = m.charging.ResetPassword(ctx, demoActor, c.ID); err != nil {
				return nil, nil, fmt.Errorf("demo: password of %s: %w", spec.ID, err)
			}
			specs = append(specs, spec)
		}
	}
	var tags []string
	for _, d := range demoDrivers() {
		l, err := m.accounts.DevLogin(ctx, d[0], "demo")
		if err != nil {
			m.log.Warn("demo: no demo drivers (dev login is off while WeChat login is configured)", "err", err)
			break
		}
		if _, err := m.charging.AddCard(ctx, l.User.ID, d[1], "demo card"); err != nil && !apperr.Is(err, apperr.Conflict) {
			return nil, nil, fmt.Errorf("demo: card of %s: %w", d[0], err)
		}
		tags = append(tags, d[1])
	}
	return specs, tags, nil
}

// startDemo seeds the demo campus and prepares its simulated fleet, which
// runDemo runs against this server's own listener.
func (m *Main) startDemo(ctx context.Context, out io.Writer) error {
	specs, tags, err := m.seedDemo(ctx)
	if err != nil {
		return err
	}
	b := sim.Behaviour{MeterInterval: 10 * time.Second, AutoPlugRate: 1.5, FaultRate: 0.05, DropRate: 0.02,
		IDTags: tags, BatteryWh: 30000, Rand: rand.New(rand.NewPCG(1, 2))}
	host, port, err := net.SplitHostPort(m.ln.Addr().String())
	if err != nil {
		return fmt.Errorf("demo: listener address: %w", err)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	url := "ws://" + net.JoinHostPort(host, port) + "/ocpp"
	m.demo = sim.NewFleet(url, specs, b, m.clock, m.log.With("demo", true))
	m.demoTags = tags
	if out != nil {
		phones := demoDrivers()
		fmt.Fprintf(out, "  demo:           %d simulated chargers at %d sites are running; log in to the driver app as a demo driver with phone %s … %s\n",
			len(specs), len(demoCampus()), phones[0][0], phones[len(phones)-1][0])
	}
	return nil
}

// runDemo runs the demo fleet until ctx ends: drivers arrive by themselves,
// swipe the demo cards, charge and leave; now and then a connector faults
// or the network drops. A few sessions start right away.
func (m *Main) runDemo(ctx context.Context) {
	if len(m.demoTags) > 0 {
		go m.demoKickoff(ctx, m.demo, m.demoTags)
	}
	_ = m.demo.Run(ctx)
}

// demoKickoff starts a few sessions as soon as their chargers are online,
// so a newcomer sees charging at once.
func (m *Main) demoKickoff(ctx context.Context, fleet *sim.Fleet, tags []string) {
	cs := fleet.Chargers()
	for i, c := range []*sim.Charger{cs[0], cs[4], cs[8], cs[15]} {
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		err := c.WaitFor(wctx, func(s sim.Snapshot) bool {
			return s.Online && len(s.Connectors) > 0 && s.Connectors[0].Status == "Available"
		})
		cancel()
		if err != nil {
			continue
		}
		if err := c.Plug(ctx, 1); err != nil {
			continue
		}
		if _, err := c.StartLocal(ctx, 1, tags[i%len(tags)]); err != nil && ctx.Err() == nil {
			m.log.Info("demo: kickoff session not started", "charger", c.ID(), "err", err)
		}
	}
}

// round6 rounds a coordinate to 6 decimals (about 0.1 m).
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
