package httpapi

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"campuscharge/internal/apperr"
)

// registerPlain adds the non-API endpoints: health, readiness, metrics, the
// API reference page and the web UI.
func (s *Server) registerPlain() {
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := s.deps.Ready(ctx); err != nil {
			s.deps.Log.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unavailable\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	if s.deps.Metrics != nil {
		s.mux.Handle("GET /metrics", promHandler(s.deps.Metrics))
	}
	s.mux.HandleFunc("GET /api/v1/docs", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(docsPage))
	})
	if s.deps.Events != nil {
		s.mux.HandleFunc("GET /api/v1/events", s.serveEvents)
	}
	if s.deps.Billing != nil {
		s.mux.HandleFunc("POST /api/v1/payments/notify/{provider}", s.serveNotify)
	}
	if s.deps.Payments != nil {
		s.mux.Handle("/pay/", s.deps.Payments)
	}
	if s.deps.OCPP != nil {
		s.mux.Handle("GET /ocpp/{id}", s.deps.OCPP)
	}
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		p := newProblem(parseLang(r.Header.Get("Accept-Language")), apperr.NotFound, "no API operation "+r.Method+" "+r.URL.Path)
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(p.Status)
		_ = json.NewEncoder(w).Encode(p)
	})
	if s.deps.UI != nil {
		s.mux.Handle("/", s.ui())
	}
}

// ui serves the built web app: files as they are, and each app's
// index.html for its client-side routes (/admin/… → admin/index.html).
func (s *Server) ui() http.Handler {
	files := http.FileServerFS(s.deps.UI)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name != "" && !strings.HasSuffix(r.URL.Path, "/") {
			if st, err := fs.Stat(s.deps.UI, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(w, r)
				return
			}
		}
		index := "index.html"
		if name == "admin" || strings.HasPrefix(name, "admin/") {
			index = "admin/index.html"
		}
		if _, err := fs.Stat(s.deps.UI, index); err != nil {
			index = "placeholder.html"
		}
		body, err := fs.ReadFile(s.deps.UI, index)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(body)
	})
}
