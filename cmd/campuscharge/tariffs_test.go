package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/testutil"
)

// TestNewTariffVersionPricesOnlyLaterSessions: a version added through the
// API prices the sessions that start after it takes effect; the bill of an
// earlier session is not touched, on every configured database.
func TestNewTariffVersionPricesOnlyLaterSessions(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e, nil)
			admin := s.login("admin", "admin-password")
			_, password := s.registerCharger(admin, "CP-TV-1", "fast", 60000)
			cp := s.connect("CP-TV-1", password)
			driver := s.devLogin("13900003333")
			tag := s.appTag(driver)

			_, tariffs := s.callList("GET", "/api/v1/tariffs", admin)
			var def map[string]any
			for _, x := range tariffs {
				if x["default"] == true {
					def = x
				}
			}
			if def == nil {
				t.Fatalf("no default tariff in %v", tariffs)
			}
			oldVersion := def["versions"].([]any)[0].(map[string]any)["id"]

			now := s.clock.Now()
			cp.charge(t, tag, now.Add(-3*time.Hour), now.Add(-2*time.Hour), 10000)
			_, bills := s.callList("GET", "/api/v1/bills", driver)
			if len(bills) != 1 || bills[0]["tariff_version_id"] != oldVersion {
				t.Fatalf("first bill = %v, want one priced by version %v", bills, oldVersion)
			}
			firstID := bills[0]["id"].(string)
			_, before := s.call("GET", "/api/v1/bills/"+firstID, admin, nil)

			status, body := s.call("POST", "/api/v1/tariffs/"+def["id"].(string)+"/versions", admin, map[string]any{
				"periods": []map[string]any{{"name": "flat", "start_minute": 0, "end_minute": 1440, "energy_price": 20000, "service_price": 0}}})
			if status != http.StatusCreated {
				t.Fatalf("add version: %d %v", status, body)
			}
			versions := body["versions"].([]any)
			newVersion := versions[len(versions)-1].(map[string]any)["id"]
			status, _ = s.call("POST", "/api/v1/tariffs/"+def["id"].(string)+"/versions", admin, map[string]any{
				"effective_from": now.Add(-time.Hour).Format(time.RFC3339),
				"periods":        []map[string]any{{"name": "flat", "start_minute": 0, "end_minute": 1440, "energy_price": 1, "service_price": 0}}})
			if status != http.StatusUnprocessableEntity {
				t.Errorf("version effective in the past: got %d, want 422", status)
			}

			s.clock.Advance(2 * time.Hour)
			later := s.clock.Now()
			driver = s.devLogin("13900003333") // the first login expired meanwhile
			admin = s.login("admin", "admin-password")
			cp.charge(t, tag, later.Add(-90*time.Minute), later.Add(-30*time.Minute), 10000)
			_, bills = s.callList("GET", "/api/v1/bills", driver)
			if len(bills) != 2 {
				t.Fatalf("got %d bills, want 2", len(bills))
			}
			if b := bills[0]; b["tariff_version_id"] != newVersion || b["total_fen"] != 2000.0 || b["energy_wh"] != 10000.0 {
				t.Errorf("second bill: version %v total %v energy %v, want %v, 2000 fen (10 kWh at 2.00), 10000 Wh", b["tariff_version_id"], b["total_fen"], b["energy_wh"], newVersion)
			}
			_, after := s.call("GET", "/api/v1/bills/"+firstID, admin, nil)
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("the first bill changed (-before +after):\n%s", diff)
			}
		})
	}
}
