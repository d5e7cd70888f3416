// Package httpapi is Campus Charge's HTTP face: the REST API under /api/v1
// (huma, OpenAPI 3.1), its auth middleware and permission checks, problem
// JSON errors in the request's language, health and metrics endpoints, and
// the embedded web UI. Handlers call services; they hold no business rules
// and never touch the database directly.
package httpapi
