package main

import (
	"net/http"
	"testing"

	"campuscharge/internal/testutil"
)

// TestSchedulingSettingsAndBackupsAreAudited: changing a site's scheduling
// settings and making a backup each leave an audit entry naming who did it,
// on every database (backups: SQLite only).
func TestSchedulingSettingsAndBackupsAreAudited(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e, nil)
			admin := s.login("admin", "admin-password")
			status, body := s.call("POST", "/api/v1/sites", admin, map[string]any{"code": "audit", "name": "Audit"})
			if status != http.StatusCreated {
				t.Fatalf("create site: %d %v", status, body)
			}
			siteID := body["id"].(string)
			settings := map[string]any{"waiting_capacity": 10, "queue_length": 2, "strategy": "priority", "batch_mode": "none", "hold_window_s": 600,
				"no_show_grace_s": 60, "max_no_shows_per_month": 3, "power_limit_w": 10000, "load_policy": "fair"}
			if status, body := s.call("PUT", "/api/v1/sites/"+siteID+"/scheduling", admin, settings); status != http.StatusOK {
				t.Fatalf("settings: %d %v", status, body)
			}
			_, entries := s.callList("GET", "/api/v1/audit?action=site.scheduling&target_id="+siteID, admin)
			if len(entries) != 1 || entries[0]["actor_name"] != "admin" || entries[0]["after"].(map[string]any)["queue_length"] != 2.0 {
				t.Errorf("audit of the scheduling settings: got %v, want one entry by admin with queue_length 2", entries)
			}

			if e.Name != "sqlite" {
				return
			}
			status, made := s.call("POST", "/api/v1/backups", admin, nil)
			if status != http.StatusCreated {
				t.Fatalf("backup: got %d %v", status, made)
			}
			_, entries = s.callList("GET", "/api/v1/audit?action=backup.create", admin)
			if len(entries) != 1 || entries[0]["target_id"] != made["name"] || entries[0]["actor_name"] != "admin" {
				t.Errorf("audit of the backup: got %v, want one entry by admin for %v", entries, made["name"])
			}
		})
	}
}
