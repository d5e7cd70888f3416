package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/backup"
	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/config"
	"campuscharge/internal/events"
	"campuscharge/internal/gateway"
	"campuscharge/internal/httpapi"
	"campuscharge/internal/maintenance"
	"campuscharge/internal/payment"
	"campuscharge/internal/payment/sandbox"
	"campuscharge/internal/payment/wechatpay"
	"campuscharge/internal/scheduling"
	"campuscharge/internal/sim"
	"campuscharge/internal/stats"
	"campuscharge/internal/store"
	"campuscharge/internal/support"
	"campuscharge/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Main is the whole server wired together: configuration, database,
// services and the HTTP server. Tests start a real Main on port 0.
type Main struct {
	cfg      config.Config
	log      *slog.Logger
	clock    clock.Clock
	db       *store.DB
	accounts *account.Service
	charging *charging.Service
	billing  *billing.Service
	// support, stats and backups: feedback and chat, statistics, backups.
	support *support.Service
	stats   *stats.Service
	backups *backup.Manager
	// lock holds the data directory while this server runs.
	lock *backup.Lock
	// scheduling runs queues, reservations and load sharing.
	scheduling *scheduling.Service
	// maintenance raises alarms and runs maintenance task windows.
	maintenance *maintenance.Service
	sandbox     *sandbox.Provider
	gateway     *gateway.Gateway
	api         *httpapi.Server
	srv         *http.Server
	ln          net.Listener
	// demo is the simulated fleet of --demo, with its drivers' RFID tags.
	demo     *sim.Fleet
	demoTags []string
}

// Options are what NewMain needs besides the configuration.
type Options struct {
	Log   *slog.Logger
	Clock clock.Clock
	// Out receives the startup banner (URLs, first admin's credentials).
	Out io.Writer
	// HashParams overrides the password hashing cost (tests).
	HashParams *account.HashParams
}

// NewMain opens and migrates the database, builds the services, makes sure
// an admin exists and starts listening (but not serving).
func NewMain(ctx context.Context, cfg config.Config, opt Options) (*Main, error) {
	m := &Main{cfg: cfg, log: opt.Log, clock: opt.Clock}
	if m.clock == nil {
		m.clock = clock.Real{}
	}
	ok := false
	defer func() {
		if !ok {
			m.Close()
		}
	}()
	// Hold the data directory so that restore refuses to replace the database under us.
	lock, err := backup.Acquire(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	m.lock = lock
	db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	m.db = db
	n, err := db.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	m.log.Info("database ready", "engine", db.Engine, "migrations_applied", n)

	policy := account.DefaultPolicy()
	policy.TokenTTL = cfg.SessionTTL
	if opt.HashParams != nil {
		policy.Hash = *opt.HashParams
	}
	var wechat *account.WeChat
	if cfg.WeChatAppID != "" {
		wechat = account.NewWeChat(cfg.WeChatAppID, cfg.WeChatSecret, cfg.WeChatBaseURL)
	}
	auditLog := store.NewAudit(db, m.clock)
	m.accounts, err = account.NewService(store.NewUsers(db), auditLog, m.clock, policy, wechat)
	if err != nil {
		return nil, err
	}
	password, created, err := m.accounts.EnsureAdmin(ctx, cfg.AdminPassword)
	if err != nil {
		return nil, fmt.Errorf("first admin: %w", err)
	}

	bus := events.NewBus()
	m.charging = charging.NewService(store.NewCharging(db), m.accounts, auditLog, bus, m.clock, m.log, charging.Options{
		AcceptUnknown: cfg.AcceptUnknownChargers, AbandonAfter: cfg.AbandonAfter, DefaultTimezone: cfg.Timezone})
	m.gateway = gateway.New(m.charging, m.charging, gateway.Options{Log: m.log})
	m.charging.SetCommander(m.gateway)

	m.ln, err = net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	providers, err := m.paymentProviders(ctx)
	if err != nil {
		return nil, err
	}
	m.billing = billing.NewService(store.NewBilling(db), m.charging, providers, auditLog, bus, m.clock, m.log,
		billing.Options{UnpaidWindow: cfg.UnpaidWindow, Location: cfg.Location()})
	if err := m.billing.EnsureDefaultTariff(ctx); err != nil {
		return nil, fmt.Errorf("default tariff: %w", err)
	}
	m.charging.SetBilling(m.billing, m.billing)
	m.support = support.NewService(store.NewSupport(db), bus, m.clock, support.Options{
		CheckCharger: func(ctx context.Context, id string) error { _, err := m.charging.Charger(ctx, id); return err },
		CheckBill: func(ctx context.Context, u account.User, id string) error {
			_, err := m.billing.Bill(ctx, u, id)
			return err
		},
	})
	m.stats = stats.NewService(store.NewStats(db), m.clock, cfg.Location())
	m.backups = backup.NewManager(db, backup.Dir(cfg.DataDir), cfg.BackupKeep, m.clock, m.log)
	m.scheduling = scheduling.NewService(store.NewScheduling(db), m.charging, m.billing, bus, m.clock, m.log, scheduling.Options{Location: cfg.Location()})
	m.charging.SetReservations(m.scheduling)
	m.maintenance = maintenance.NewService(store.NewMaintenance(db), m.charging, m.accounts, auditLog, bus, m.clock, m.log, maintenance.Options{})

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), newGatewayCollector(m.gateway))
	ui, err := fs.Sub(web.Dist, "dist")
	if err != nil {
		return nil, fmt.Errorf("embedded UI: %w", err)
	}
	m.api = httpapi.New(httpapi.Deps{
		Accounts: m.accounts, Charging: m.charging, Billing: m.billing, Support: m.support, Stats: m.stats, Backups: m.backups, System: m.systemStatus, Scheduling: m.scheduling, Maintenance: m.maintenance, Location: cfg.Location(), Payments: m.sandbox.Handler(), Events: bus, OCPP: m.gateway, AuditLog: auditLog, Ready: db.Ping, Metrics: reg, Log: m.log, Clock: m.clock,
		Public: httpapi.PublicConfig{MapTileURL: cfg.MapTileURL, Timezone: cfg.Timezone, BaseURL: cfg.BaseURL},
		UI:     ui, SecureCookies: strings.HasPrefix(cfg.BaseURL, "https://"), Version: version,
	})
	m.srv = &http.Server{Handler: m.api.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(m.log.Handler(), slog.LevelWarn)}
	m.srv.RegisterOnShutdown(m.api.CloseStreams)

	if opt.Out != nil {
		base := m.BaseURL()
		fmt.Fprintf(opt.Out, "Campus Charge %s is running on %s (%s database)\n", version, m.ln.Addr(), db.Engine)
		fmt.Fprintf(opt.Out, "  chargers (OCPP 1.6J): %s/ocpp/{charge point id}\n", strings.Replace(base, "http", "ws", 1))
		fmt.Fprintf(opt.Out, "  driver app:     %s/\n  admin console:  %s/admin/\n  API reference:  %s/api/v1/docs\n  OpenAPI:        %s/api/v1/openapi.json\n  health:         %s/healthz  %s/readyz  %s/metrics\n", base, base, base, base, base, base, base)
		if created {
			fmt.Fprintf(opt.Out, "  first admin:    name %q, password %q (shown once; change it in the console)\n", "admin", password)
		}
	}
	if cfg.Demo {
		if err := m.startDemo(ctx, opt.Out); err != nil {
			return nil, err
		}
	}
	ok = true
	return m, nil
}

// BaseURL is the configured public URL, or the listener's address when the
// configured one names port 0.
func (m *Main) BaseURL() string {
	if strings.HasSuffix(m.cfg.Listen, ":0") {
		return "http://" + m.ln.Addr().String()
	}
	return m.cfg.BaseURL
}

// Addr is the address the server listens on.
func (m *Main) Addr() string { return m.ln.Addr().String() }

// Run serves until ctx is done, then shuts down gracefully.
func (m *Main) Run(ctx context.Context) error {
	// Maintenance subscribes to events before anything can happen.
	maintCtx, stopMaint := context.WithCancel(ctx)
	maintDone := m.maintenance.Start(maintCtx, 5*time.Second)
	defer func() { stopMaint(); <-maintDone }()
	// Scheduling subscribes to events before anything can happen.
	schedCtx, stopSched := context.WithCancel(ctx)
	schedDone := make(chan struct{})
	go func() { defer close(schedDone); m.scheduling.Run(schedCtx) }()
	defer func() { stopSched(); <-schedDone }()
	errc := make(chan error, 1)
	go func() { errc <- m.srv.Serve(m.ln) }()
	bg, stopBG := context.WithCancel(ctx)
	var background sync.WaitGroup
	defer func() { stopBG(); background.Wait() }()
	background.Go(func() { m.charging.RunBackground(bg, 15*time.Second) })
	background.Go(func() { m.backups.Run(bg, m.cfg.BackupEvery) })
	background.Go(func() { m.billing.RunReconcile(bg, time.Minute) })
	demoDone := make(chan struct{})
	if m.demo != nil {
		go func() { defer close(demoDone); m.runDemo(bg) }()
	} else {
		close(demoDone)
	}
	defer func() { stopBG(); <-demoDone }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
		return nil
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m.gateway.Close()
	if err := m.srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// Close releases the database and listener.
func (m *Main) Close() {
	if m.ln != nil {
		m.ln.Close()
	}
	if m.db != nil {
		m.db.Close()
	}
	_ = m.lock.Release()
}

// paymentProviders returns WeChat Pay when configured, and the sandbox
// simulator otherwise. The sandbox delivers its notifications straight to
// billing's notify path, so it works behind any proxy.
func (m *Main) paymentProviders(ctx context.Context) ([]payment.Provider, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	var err error
	m.sandbox, err = sandbox.New(sandbox.Config{BaseURL: m.BaseURL(), Secret: secret, Clock: m.clock, Logger: m.log,
		Deliver: func(ctx context.Context, body []byte, header http.Header) error {
			req := httptest.NewRequestWithContext(ctx, http.MethodPost, payment.NotifyPath(sandbox.Name), bytes.NewReader(body))
			req.Header = header.Clone()
			return m.billing.HandleNotify(ctx, sandbox.Name, req)
		}})
	if err != nil {
		return nil, fmt.Errorf("sandbox payments: %w", err)
	}
	if m.cfg.WeChatPayMchID == "" {
		return []payment.Provider{m.sandbox}, nil
	}
	wx, err := wechatpay.New(ctx, wechatpay.Config{MchID: m.cfg.WeChatPayMchID, AppID: m.cfg.WeChatAppID, APIv3Key: m.cfg.WeChatPayAPIv3Key,
		MchCertSerial: m.cfg.WeChatPayCertSerial, MchPrivateKeyPath: m.cfg.WeChatPayPrivateKey, PublicKeyID: m.cfg.WeChatPayPublicKeyID,
		PublicKeyPath: m.cfg.WeChatPayPublicKey, PlatformCertPath: m.cfg.WeChatPayPlatformCert, NotifyURL: m.BaseURL() + payment.NotifyPath("wechatpay"),
		APIBaseURL: m.cfg.WeChatPayAPIBaseURL, Clock: m.clock})
	if err != nil {
		return nil, fmt.Errorf("WeChat Pay: %w", err)
	}
	return []payment.Provider{wx, m.sandbox}, nil
}
