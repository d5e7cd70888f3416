package httpapi

import (
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/audit"
	"campuscharge/internal/backup"
	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
	"campuscharge/internal/maintenance"
	"campuscharge/internal/scheduling"
	"campuscharge/internal/stats"
	"campuscharge/internal/support"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"
)

// CookieName is the browser session cookie.
const CookieName = "cc_session"

// Deps are the services the API calls.
type Deps struct {
	Accounts *account.Service
	Charging *charging.Service
	Billing  *billing.Service
	// Support runs feedback and the live support chat.
	Support *support.Service
	// Stats answers the statistics queries.
	Stats *stats.Service
	// Backups makes, lists and serves database backups.
	Backups *backup.Manager
	// System reports the settings in use (GET /system/status).
	System func(ctx context.Context) (SystemStatus, error)
	// Scheduling runs queues, reservations and load sharing (nil: no routes).
	Scheduling *scheduling.Service
	// Maintenance handles alarms and maintenance tasks.
	Maintenance *maintenance.Service
	// Location is the default site time zone, for documents and exports.
	Location *time.Location
	// Payments serves provider pages (the sandbox's), at /pay/….
	Payments http.Handler
	// Events is the live event bus streamed at /api/v1/events.
	Events *events.Bus
	// OCPP is the charger gateway, served at /ocpp/{id}.
	OCPP http.Handler
	// AuditLog lists audit entries and records the writes handlers make
	// without a service of their own (backups, scheduling settings).
	AuditLog interface {
		List(ctx context.Context, f audit.Filter) ([]audit.Entry, error)
		audit.Recorder
	}
	// Ready reports whether the database answers.
	Ready   func(ctx context.Context) error
	Metrics *prometheus.Registry
	Log     *slog.Logger
	Clock   clock.Clock
	// UI is the built web app (web/dist), or nil.
	UI fs.FS
	// SecureCookies marks cookies Secure (when served over HTTPS).
	SecureCookies bool
	// Version is the build version shown in the OpenAPI document.
	Version string
	// Public is what the web apps read at start (GET /api/v1/config).
	Public PublicConfig
}

// PublicConfig is the configuration the web apps need; nothing secret.
type PublicConfig struct {
	MapTileURL string `json:"map_tile_url" doc:"Leaflet tile URL template; empty = use the offline campus plan"`
	Timezone   string `json:"timezone" doc:"Default site time zone"`
	BaseURL    string `json:"base_url" doc:"Public URL of this server (QR stickers encode base_url/start/{charge_point_id})"`
	Version    string `json:"version"`
}

// Route is one API operation and the permission it needs.
type Route struct {
	Method      string
	Path        string
	OperationID string
	// Perm is the permission needed; empty means public.
	Perm account.Permission
}

// Server is the HTTP API and UI.
type Server struct {
	deps    Deps
	api     huma.API
	mux     *http.ServeMux
	routes  []Route
	limiter *ipLimiter
	reqs    *prometheus.CounterVec
	latency *prometheus.HistogramVec
	// closing is closed by CloseStreams: open event streams end.
	closing   chan struct{}
	closeOnce sync.Once
}

// New builds the server and registers every route.
func New(d Deps) *Server {
	mux := http.NewServeMux()
	cfg := huma.DefaultConfig("Campus Charge API", d.Version)
	cfg.OpenAPIPath = "/api/v1/openapi"
	cfg.DocsPath = ""
	cfg.SchemasPath = "/api/v1/schemas"
	cfg.Info.Description = "REST API of Campus Charge. JSON with snake_case fields, times in RFC 3339 UTC, money in integer fen, energy in integer Wh. " +
		"Log in with POST /api/v1/auth/login (staff) or /api/v1/auth/wechat (drivers); send the returned token as `Authorization: Bearer …` or use the session cookie. " +
		"Each operation's `x-permission` names the permission it needs. Errors are RFC 9457 problem documents in the language of Accept-Language (zh-CN default, en)."
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer"},
		"cookie": {Type: "apiKey", In: "cookie", Name: CookieName},
	}
	cfg.Transformers = append(cfg.Transformers, localizeHumaError)
	api := humago.New(mux, cfg)
	s := &Server{
		deps: d, api: api, mux: mux, limiter: newIPLimiter(rate.Every(3*time.Second), 20), closing: make(chan struct{}),
		reqs:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "campuscharge_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "campuscharge_http_request_seconds", Help: "HTTP request latency by route.", Buckets: prometheus.DefBuckets}, []string{"route"}),
	}
	if d.Metrics != nil {
		d.Metrics.MustRegister(s.reqs, s.latency)
	}
	api.UseMiddleware(func(ctx huma.Context, next func(huma.Context)) {
		next(huma.WithValue(ctx, langKey{}, parseLang(ctx.Header("Accept-Language"))))
	})
	s.registerAuth()
	s.registerUsers()
	s.registerAudit()
	s.registerChargers()
	s.registerSessions()
	s.registerBills()
	s.registerTariffs()
	s.registerSupport()
	s.registerStats()
	s.registerSystem()
	s.registerScheduling()
	s.registerMaintenance()
	s.registerPlain()
	return s
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.instrument(s.mux) }

// CloseStreams ends every open event stream, so that a graceful shutdown
// need not wait for browsers to hang up. Call it once the server stops
// (http.Server.RegisterOnShutdown); it is safe to call more than once.
func (s *Server) CloseStreams() { s.closeOnce.Do(func() { close(s.closing) }) }

// Routes lists every API operation with its permission.
func (s *Server) Routes() []Route { return s.routes }

// OpenAPI returns the OpenAPI document.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

type userKey struct{}
type secretKey struct{}

// currentUser returns the authenticated user of a request.
func currentUser(ctx context.Context) account.User {
	u, _ := ctx.Value(userKey{}).(account.User)
	return u
}

// register adds an operation that needs perm ("" = public). It records the
// route, documents the permission and wraps errors into problems.
func register[I, O any](s *Server, op huma.Operation, perm account.Permission, h func(context.Context, *I) (*O, error)) {
	op.Path = "/api/v1" + op.Path
	if op.Extensions == nil {
		op.Extensions = map[string]any{}
	}
	if perm == "" {
		op.Extensions["x-permission"] = "public"
	} else {
		op.Extensions["x-permission"] = string(perm)
		op.Security = []map[string][]string{{"bearer": {}}, {"cookie": {}}}
		op.Errors = append(op.Errors, http.StatusUnauthorized, http.StatusForbidden)
		op.Middlewares = append(op.Middlewares, s.authorize(perm))
	}
	if op.MaxBodyBytes == 0 {
		op.MaxBodyBytes = 64 << 10
	}
	s.routes = append(s.routes, Route{Method: op.Method, Path: op.Path, OperationID: op.OperationID, Perm: perm})
	huma.Register(s.api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, problemFor(ctx, s.deps.Log, err)
		}
		return out, nil
	})
}

// authorize is the one middleware that enforces permissions: it resolves the
// bearer token or session cookie and checks the user's role.
func (s *Server) authorize(perm account.Permission) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		secret := bearer(ctx.Header("Authorization"))
		if secret == "" {
			if c, err := huma.ReadCookie(ctx, CookieName); err == nil {
				secret = c.Value
			}
		}
		lang := parseLang(ctx.Header("Accept-Language"))
		u, err := s.deps.Accounts.Authenticate(ctx.Context(), secret)
		if err != nil {
			s.writeProblem(ctx, problemFor(context.WithValue(ctx.Context(), langKey{}, lang), s.deps.Log, err))
			return
		}
		if !u.Role.Can(perm) {
			s.writeProblem(ctx, newProblem(lang, apperr.Forbidden, apperr.Translate(lang, "forbidden")))
			return
		}
		ctx = huma.WithValue(ctx, userKey{}, u)
		next(huma.WithValue(ctx, secretKey{}, secret))
	}
}

func bearer(h string) string {
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func (s *Server) writeProblem(ctx huma.Context, p *Problem) {
	ctx.SetHeader("Content-Type", "application/problem+json")
	ctx.SetStatus(p.Status)
	_ = json.NewEncoder(ctx.BodyWriter()).Encode(p)
}

// ipLimiter rate-limits requests per client IP (logins), bounded in size.
type ipLimiter struct {
	mu    sync.Mutex
	every rate.Limit
	burst int
	m     map[string]*rate.Limiter
}

func newIPLimiter(every rate.Limit, burst int) *ipLimiter {
	return &ipLimiter{every: every, burst: burst, m: map[string]*rate.Limiter{}}
}

func (l *ipLimiter) allow(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.m[ip]
	if !ok {
		if len(l.m) > 10000 {
			l.m = map[string]*rate.Limiter{}
		}
		lim = rate.NewLimiter(l.every, l.burst)
		l.m[ip] = lim
	}
	return lim.Allow()
}

// instrument counts requests and their latency by route pattern.
func (s *Server) instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.reqs.WithLabelValues(route, http.StatusText(sw.status)).Inc()
		s.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Flush lets server-sent events through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func promHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}
