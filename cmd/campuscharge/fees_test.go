package main

import (
	"net/http"
	"testing"
	"time"

	"campuscharge/internal/testutil"
)

// TestNoShowFeeBilledToDriver: a driver's reservation that expires unused
// makes a fee-only bill (reservation fee + no-show fee) that the driver sees
// in their bills and that the report counts as money, not as a session.
func TestNoShowFeeBilledToDriver(t *testing.T) {
	s := startServer(t, testutil.Engines(t)[0], nil)
	admin := s.login("admin", "admin-password")
	status, body := s.call("POST", "/api/v1/sites", admin, map[string]any{"code": "east", "name": "East"})
	if status != http.StatusCreated {
		t.Fatalf("create site: %d %v", status, body)
	}
	siteID := body["id"].(string)
	chargerID, _ := s.schedCharger(admin, siteID, "FEE-A")
	_, tariffs := s.callList("GET", "/api/v1/tariffs", admin)
	var defID string
	for _, x := range tariffs {
		if x["default"] == true {
			defID = x["id"].(string)
		}
	}
	status, body = s.call("POST", "/api/v1/tariffs/"+defID+"/versions", admin, map[string]any{"reservation_fee_fen": 200, "no_show_fee_fen": 800,
		"periods": []map[string]any{{"name": "flat", "start_minute": 0, "end_minute": 1440, "energy_price": 10000, "service_price": 0}}})
	if status != http.StatusCreated {
		t.Fatalf("add version with fees: %d %v", status, body)
	}
	s.clock.Advance(time.Second) // the version is in force (the fake clock stands still)

	driver := s.devLogin("13900005555")
	status, body = s.call("POST", "/api/v1/reservations", driver, map[string]any{"charger_id": chargerID, "connector_id": 1})
	if status != http.StatusCreated {
		t.Fatalf("reserve: %d %v", status, body)
	}
	resID := body["id"].(string)
	s.clock.Advance(2 * time.Hour)     // well past the hold window and grace
	driver = s.devLogin("13900005555") // the old login expired meanwhile
	admin = s.login("admin", "admin-password")
	s.waitFor("/api/v1/reservations?status=expired", driver, func(p map[string]any) bool {
		items, _ := p["items"].([]any)
		return len(items) == 1 && items[0].(map[string]any)["id"] == resID
	})
	_, bills := s.callList("GET", "/api/v1/bills", driver)
	if len(bills) != 1 {
		t.Fatalf("driver has %d bills after a no-show, want 1: %v", len(bills), bills)
	}
	b := bills[0]
	fees, _ := b["fees"].([]any)
	if b["kind"] != "reservation" || b["reservation_id"] != resID || b["total_fen"] != 1000.0 || b["reservation_fee_fen"] != 1000.0 ||
		b["status"] != "unpaid" || b["session_id"] != "" || b["energy_wh"] != 0.0 || len(fees) != 2 {
		t.Fatalf("fee bill = %v; want an unpaid reservation bill of 1000 fen with two fee lines", b)
	}
	if l := fees[1].(map[string]any); l["kind"] != "no_show" || l["amount_fen"] != 800.0 {
		t.Errorf("no-show line = %v", l)
	}
	day := s.clock.Now().In(shanghaiTZ(t)).Format("2006-01-02")
	status, report := s.call("GET", "/api/v1/reports?by=charger&period=day&from="+day+"&to="+day, admin, nil)
	total, _ := report["total"].(map[string]any)
	if status != 200 || total["total_fen"] != 1000.0 || total["reservation_fee_fen"] != 1000.0 || total["sessions"] != 0.0 {
		t.Errorf("report: %d %v; want 1000 fen of fees and no session", status, report)
	}
}

func shanghaiTZ(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
