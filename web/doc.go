// Package web provides the built driver app and admin console (Vite output in
// web/dist) as an embedded file system for the HTTP server to serve.
//
// It holds no Go logic: it must not route requests, read configuration or know
// anything of the API; the TypeScript sources beside it are built by `make web`.
package web
