package web

import "embed"

// Dist is the Vite build output: dist/index.html (driver app),
// dist/admin/index.html (admin console) and dist/assets/. Before the UI is
// built it holds only dist/placeholder.html.
//
//go:embed all:dist
var Dist embed.FS
