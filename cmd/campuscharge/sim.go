package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"campuscharge/internal/clock"
	"campuscharge/internal/sim"
)

// simOptions are the flags of `campuscharge sim`.
type simOptions struct {
	URL           string
	Chargers      int
	PasswordFile  string
	Register      bool
	API           string
	AdminUser     string
	AdminPassword string
	Prefix        string
	// SiteID is the site --register puts new chargers in (its heartbeat
	// interval applies); empty = none.
	SiteID string
	// FastShare is the fraction of DC chargers, 0–1.
	FastShare float64
	// MeterInterval is the MeterValues period during a transaction.
	MeterInterval time.Duration
	// FaultRate, DropRate and AutoPlugRate are events per charger-hour.
	FaultRate, DropRate, AutoPlugRate float64
	// Duration bounds the run; 0 runs until interrupted.
	Duration time.Duration
	Seed     uint64
	// StatsEvery is the period of the progress line; 0 prints only the summary.
	StatsEvery time.Duration
	// RampRate is how many chargers start per second; 0 starts all at once.
	RampRate int
	// IDTags are the tags auto-plugging drivers swipe.
	IDTags   []string
	LogLevel string
}

const simUsage = `usage: campuscharge sim --url ws://HOST:PORT/ocpp --chargers N --password-file FILE
       [--register --api http://HOST:PORT --admin-user admin --admin-password P] [flags]

Runs N simulated OCPP 1.6J chargers (ids PREFIX00001…) against a central
system and prints statistics. Without --register the password file is read:
"id password" per line, or a single line with one password for every
charger. With --register the chargers missing from the server are registered
through the REST API, the others get a new password, and the file is written.
`

// parseSimFlags parses and checks the sim command's flags; environ supplies
// CAMPUSCHARGE_ADMIN_PASSWORD when --admin-password is not given.
func parseSimFlags(args, environ []string, stderr io.Writer) (simOptions, error) {
	var o simOptions
	var tags string
	fs := flag.NewFlagSet("campuscharge sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, simUsage, "\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.URL, "url", "ws://127.0.0.1:8080/ocpp", "the central system's OCPP endpoint, without the charge point id")
	fs.IntVar(&o.Chargers, "chargers", 10, "number of simulated chargers")
	fs.StringVar(&o.PasswordFile, "password-file", "", `file of "id password" lines (written with --register; read otherwise)`)
	fs.BoolVar(&o.Register, "register", false, "register missing chargers (and reset the others' passwords) through the REST API first")
	fs.StringVar(&o.API, "api", "http://127.0.0.1:8080", "the server's base URL, for --register")
	fs.StringVar(&o.AdminUser, "admin-user", "admin", "staff login name for --register")
	fs.StringVar(&o.AdminPassword, "admin-password", "", "staff password for --register (default $CAMPUSCHARGE_ADMIN_PASSWORD)")
	fs.StringVar(&o.Prefix, "prefix", "SIM-", "charge point id prefix")
	fs.StringVar(&o.SiteID, "site-id", "", "site that --register puts new chargers in (its heartbeat interval applies)")
	fs.Float64Var(&o.FastShare, "fast-share", 0.3, "fraction of DC fast chargers, 0–1")
	fs.DurationVar(&o.MeterInterval, "meter-interval", 60*time.Second, "MeterValues period during a transaction")
	fs.Float64Var(&o.FaultRate, "fault-rate", 0, "faults per charger-hour")
	fs.Float64Var(&o.DropRate, "drop-rate", 0, "network drops per charger-hour")
	fs.Float64Var(&o.AutoPlugRate, "auto-plug-rate", 0, "drivers plugging in per charger-hour")
	fs.StringVar(&tags, "id-tags", "", "comma-separated id tags that auto-plugging drivers swipe (none: they wait for a remote start)")
	fs.DurationVar(&o.Duration, "duration", 0, "stop after this long (0: run until interrupted)")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed (same seed, same fleet)")
	fs.DurationVar(&o.StatsEvery, "stats-every", 10*time.Second, "print statistics this often (0: only at the end)")
	fs.IntVar(&o.RampRate, "ramp-rate", 200, "chargers started per second (0: all at once)")
	fs.StringVar(&o.LogLevel, "log-level", "warn", "log level of the chargers' logs: debug, info, warn, error")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("sim: unexpected argument %q", fs.Arg(0))
	}
	if o.AdminPassword == "" {
		o.AdminPassword = envValue(environ, "CAMPUSCHARGE_ADMIN_PASSWORD")
	}
	for _, t := range strings.Split(tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			o.IDTags = append(o.IDTags, t)
		}
	}
	return o, o.check()
}

// check reports the first bad flag value.
func (o simOptions) check() error {
	u, err := url.Parse(o.URL)
	switch {
	case err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "":
		return fmt.Errorf("sim: --url %q must be a ws:// or wss:// URL such as ws://127.0.0.1:8080/ocpp", o.URL)
	case o.Chargers < 1 || o.Chargers > 100000:
		return fmt.Errorf("sim: --chargers %d must be between 1 and 100000", o.Chargers)
	case o.PasswordFile == "":
		return errors.New("sim: --password-file is required (written with --register, read otherwise)")
	case o.FastShare < 0 || o.FastShare > 1:
		return fmt.Errorf("sim: --fast-share %g must be between 0 and 1", o.FastShare)
	case o.MeterInterval < time.Second:
		return fmt.Errorf("sim: --meter-interval %s must be at least 1s", o.MeterInterval)
	case o.FaultRate < 0 || o.DropRate < 0 || o.AutoPlugRate < 0:
		return errors.New("sim: --fault-rate, --drop-rate and --auto-plug-rate must not be negative")
	case o.Duration < 0 || o.StatsEvery < 0 || o.RampRate < 0:
		return errors.New("sim: --duration, --stats-every and --ramp-rate must not be negative")
	case o.Prefix == "" || !validSimID(o.Prefix) || len(o.Prefix) > 40:
		return fmt.Errorf("sim: --prefix %q must be 1–40 letters, digits, '-', '_' or '.'", o.Prefix)
	}
	if _, err := parseLevel(o.LogLevel); err != nil {
		return err
	}
	if o.Register {
		a, err := url.Parse(o.API)
		if err != nil || (a.Scheme != "http" && a.Scheme != "https") || a.Host == "" {
			return fmt.Errorf("sim: --api %q must be an http:// or https:// URL", o.API)
		}
		if o.AdminPassword == "" {
			return errors.New("sim: --register needs --admin-password (or CAMPUSCHARGE_ADMIN_PASSWORD)")
		}
	}
	return nil
}

func validSimID(s string) bool {
	for _, r := range s {
		if !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("sim: --log-level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

func envValue(environ []string, key string) string {
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

// simSpecs are the fleet's chargers: ids PREFIX00001…, a FastShare of them
// DC (60–120 kW), the rest AC 7 kW; the same seed gives the same fleet.
func (o simOptions) simSpecs() []sim.ChargerSpec {
	rnd := rand.New(rand.NewPCG(o.Seed, 0xC0FFEE))
	specs := make([]sim.ChargerSpec, o.Chargers)
	for i := range specs {
		s := sim.ChargerSpec{ID: fmt.Sprintf("%s%05d", o.Prefix, i+1), Connectors: 1, MaxPowerW: 7000}
		if rnd.Float64() < o.FastShare {
			s.Fast, s.MaxPowerW = true, []int{60000, 90000, 120000}[rnd.IntN(3)]
		}
		specs[i] = s
	}
	return specs
}

// readPasswords reads a password file: "id password" per line, or one line
// holding a single password for every charger. Blank lines and lines
// starting with # are skipped. Every id must have a password.
func readPasswords(r io.Reader, ids []string) (map[string]string, error) {
	byID := map[string]string{}
	var single []string
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		switch len(f) {
		case 1:
			single = append(single, f[0])
		case 2:
			byID[f[0]] = f[1]
		default:
			return nil, fmt.Errorf("line %d: want \"id password\" or a single password, got %d fields", n, len(f))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	switch {
	case len(single) > 0 && (len(single) > 1 || len(byID) > 0):
		return nil, errors.New(`mixes lone passwords with "id password" lines`)
	case len(single) == 1:
		for _, id := range ids {
			byID[id] = single[0]
		}
		return byID, nil
	}
	var missing []string
	for _, id := range ids {
		if _, ok := byID[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no password for %d charger(s), e.g. %s (run with --register to create them)", len(missing), missing[0])
	}
	return byID, nil
}

// writePasswords writes "id password" lines, readable only by the owner.
func writePasswords(path string, ids []string, pw map[string]string) error {
	var b bytes.Buffer
	for _, id := range ids {
		fmt.Fprintf(&b, "%s %s\n", id, pw[id])
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write password file: %w", err)
	}
	return nil
}

// apiClient is a staff member logged in to the REST API.
type apiClient struct {
	base  string
	token string
	http  *http.Client
}

// do sends a JSON request and decodes a JSON answer into out (when not nil);
// it returns the HTTP status.
func (a *apiClient) do(ctx context.Context, method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(a.base, "/")+"/api/v1"+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		var p struct {
			Detail string `json:"detail"`
		}
		_ = json.Unmarshal(raw, &p)
		return resp.StatusCode, fmt.Errorf("%s %s: HTTP %d %s", method, path, resp.StatusCode, p.Detail)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// login logs a staff member in.
func (a *apiClient) login(ctx context.Context, name, password string) error {
	var out struct {
		Token string `json:"token"`
	}
	if _, err := a.do(ctx, http.MethodPost, "/auth/login", map[string]string{"name": name, "password": password}, &out); err != nil {
		return fmt.Errorf("log in as %s: %w", name, err)
	}
	a.token = out.Token
	return nil
}

// registerOne registers a charger, or gives an existing one a new password,
// and returns its password.
func (a *apiClient) registerOne(ctx context.Context, s sim.ChargerSpec, siteID string) (string, error) {
	kind, typ := "slow", "GBT_AC"
	if s.Fast {
		kind, typ = "fast", "GBT_DC"
	}
	body := map[string]any{"charge_point_id": s.ID, "name": "Simulated " + s.ID, "location": "simulator", "kind": kind,
		"max_power_w": s.MaxPowerW, "connectors": []map[string]any{{"connector_id": 1, "type": typ}}}
	if siteID != "" {
		body["site_id"] = siteID
	}
	var created struct {
		Password string `json:"password"`
	}
	status, err := a.do(ctx, http.MethodPost, "/chargers", body, &created)
	if err == nil {
		return created.Password, nil
	}
	if status != http.StatusConflict {
		return "", fmt.Errorf("register %s: %w", s.ID, err)
	}
	var existing struct {
		ID string `json:"id"`
	}
	if _, err := a.do(ctx, http.MethodGet, "/chargers/"+url.PathEscape(s.ID), nil, &existing); err != nil {
		return "", fmt.Errorf("look up %s: %w", s.ID, err)
	}
	var reset struct {
		Password string `json:"password"`
	}
	if _, err := a.do(ctx, http.MethodPost, "/chargers/"+existing.ID+"/password", nil, &reset); err != nil {
		return "", fmt.Errorf("reset password of %s: %w", s.ID, err)
	}
	return reset.Password, nil
}

// registerAll registers the fleet with a few requests in flight.
func (a *apiClient) registerAll(ctx context.Context, specs []sim.ChargerSpec, siteID string) (map[string]string, error) {
	pw := make(map[string]string, len(specs))
	var mu sync.Mutex
	var firstErr error
	work := make(chan sim.ChargerSpec)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for s := range work {
				p, err := a.registerOne(ctx, s, siteID)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				pw[s.ID] = p
				mu.Unlock()
			}
		})
	}
	for _, s := range specs {
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed || ctx.Err() != nil {
			break
		}
		work <- s
	}
	close(work)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return pw, firstErr
}

// formatStats renders one statistics line; rate is messages per second
// since the previous line.
func formatStats(elapsed time.Duration, total int, st sim.FleetStats, rate float64) string {
	return fmt.Sprintf("t=%-6s connected=%d/%d messages=%d (%.0f/s) calls=%d failed=%d call→result p50=%s p99=%s max=%s",
		elapsed.Round(time.Second), st.Connected, total, st.Messages, rate, st.Calls, st.Failed,
		roundDur(st.P50), roundDur(st.P99), roundDur(st.Max))
}

func roundDur(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// cmdSim runs a simulated fleet until ctx ends or --duration passes.
func cmdSim(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	o, err := parseSimFlags(args, environ, stderr)
	if err != nil {
		return err
	}
	level, _ := parseLevel(o.LogLevel)
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	specs := o.simSpecs()
	ids := make([]string, len(specs))
	for i, s := range specs {
		ids[i] = s.ID
	}
	var pw map[string]string
	if o.Register {
		api := &apiClient{base: o.API, http: &http.Client{Timeout: 30 * time.Second}}
		if err := api.login(ctx, o.AdminUser, o.AdminPassword); err != nil {
			return fmt.Errorf("sim: %w", err)
		}
		fmt.Fprintf(stdout, "registering %d chargers at %s …\n", len(specs), o.API)
		if pw, err = api.registerAll(ctx, specs, o.SiteID); err != nil {
			return fmt.Errorf("sim: %w", err)
		}
		if err := writePasswords(o.PasswordFile, ids, pw); err != nil {
			return fmt.Errorf("sim: %w", err)
		}
	} else {
		f, err := os.Open(o.PasswordFile)
		if err != nil {
			return fmt.Errorf("sim: %w", err)
		}
		pw, err = readPasswords(f, ids)
		f.Close()
		if err != nil {
			return fmt.Errorf("sim: password file %s: %w", o.PasswordFile, err)
		}
	}
	for i := range specs {
		specs[i].Password = pw[specs[i].ID]
	}

	b := sim.Behaviour{MeterInterval: o.MeterInterval, FaultRate: o.FaultRate, DropRate: o.DropRate, AutoPlugRate: o.AutoPlugRate,
		IDTags: o.IDTags, Rand: rand.New(rand.NewPCG(o.Seed, 0x5EED))}
	fleet := sim.NewFleet(o.URL, specs, b, clock.Real{}, log)
	if o.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Duration)
		defer cancel()
	}
	fmt.Fprintf(stdout, "simulating %d chargers (%s…) against %s\n", len(specs), specs[0].ID, o.URL)
	start := time.Now()
	var wg sync.WaitGroup
	var peak int
	wg.Go(func() { startFleet(ctx, fleet, o.RampRate) })
	wg.Go(func() { peak = printStats(ctx, stdout, fleet, len(specs), start, o.StatsEvery) })
	wg.Wait()

	st := fleet.Stats()
	st.Connected = peak
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "summary (connected = most at once): %s\n", formatStats(elapsed, len(specs), st, float64(st.Messages)/max(elapsed.Seconds(), 1e-9)))
	return nil
}

// startFleet starts the chargers, rampRate a second (0: all at once), and
// waits until every one has stopped.
func startFleet(ctx context.Context, fleet *sim.Fleet, rampRate int) {
	var wg sync.WaitGroup
	defer wg.Wait()
	var tick *time.Ticker
	if rampRate > 0 {
		tick = time.NewTicker(time.Second / time.Duration(rampRate))
		defer tick.Stop()
	}
	for i, c := range fleet.Chargers() {
		if tick != nil && i > 0 {
			select {
			case <-tick.C:
			case <-ctx.Done():
				return
			}
		}
		wg.Go(func() { _ = c.Run(ctx) })
	}
}

// printStats prints a statistics line every period (0: never) until ctx
// ends, and returns the most chargers seen connected at once.
func printStats(ctx context.Context, w io.Writer, fleet *sim.Fleet, total int, start time.Time, every time.Duration) (peak int) {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	var last int64
	lastAt := start
	for {
		select {
		case <-ctx.Done():
			return max(peak, fleet.Stats().Connected)
		case now := <-t.C:
			st := fleet.Stats()
			peak = max(peak, st.Connected)
			if every <= 0 || now.Sub(lastAt) < every {
				continue
			}
			rate := float64(st.Messages-last) / now.Sub(lastAt).Seconds()
			last, lastAt = st.Messages, now
			fmt.Fprintln(w, formatStats(now.Sub(start), total, st, rate))
		}
	}
}
