package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	ocpp16 "github.com/lorenzodonini/ocpp-go/ocpp1.6"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/core"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/types"
	"github.com/lorenzodonini/ocpp-go/ws"

	"campuscharge/internal/testutil"
)

// connect connects an independent charge point and boots it.
func (s *testServer) connect(cpID, password string) *independentCP {
	s.t.Helper()
	client := ws.NewClient()
	client.SetBasicAuth(cpID, password)
	h := &independentCP{stops: make(chan error, 1)}
	h.cp = ocpp16.NewChargePoint(cpID, nil, client)
	h.cp.SetCoreHandler(h)
	if err := h.cp.Start("ws://" + s.Addr() + "/ocpp"); err != nil {
		s.t.Fatalf("connect %s: %v", cpID, err)
	}
	s.t.Cleanup(h.cp.Stop)
	if boot, err := h.cp.BootNotification("CC-7", "Acme"); err != nil || boot.Status != core.RegistrationStatusAccepted {
		s.t.Fatalf("boot %s: %+v, %v", cpID, boot, err)
	}
	if _, err := h.cp.StatusNotification(1, core.NoError, core.ChargePointStatusAvailable); err != nil {
		s.t.Fatal(err)
	}
	return h
}

// charge runs a whole transaction from start to stop, at constant power.
func (h *independentCP) charge(t *testing.T, tag string, start, stop time.Time, wh int) int {
	t.Helper()
	st, err := h.cp.StartTransaction(1, tag, 100000, types.NewDateTime(start))
	if err != nil || st.IdTagInfo.Status != types.AuthorizationStatusAccepted {
		t.Fatalf("start: %+v, %v", st, err)
	}
	if _, err := h.cp.StopTransaction(100000+wh, types.NewDateTime(stop), st.TransactionId); err != nil {
		t.Fatalf("stop: %v", err)
	}
	return st.TransactionId
}

func (s *testServer) appTag(driver string) string {
	s.t.Helper()
	_, cards := s.callList("GET", "/api/v1/me/cards", driver)
	if len(cards) == 0 {
		s.t.Fatal("driver has no app tag")
	}
	return cards[0]["number"].(string)
}

// waitFor polls the API until cond holds for the body of GET path.
func (s *testServer) waitFor(path, token string, cond func(map[string]any) bool) map[string]any {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body := s.call("GET", path, token, nil)
		if cond(body) {
			return body
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("GET %s never met the condition; last: %v", path, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDriverJourneyBillPaidWithSandbox: a session stops → its bill exists
// (once, whatever the charger replays) → the driver pays in the sandbox →
// the notification marks it paid → it appears in the reports; then refunds,
// exports and the unpaid-bill rule, on every configured database.
func TestDriverJourneyBillPaidWithSandbox(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e, nil)
			admin := s.login("admin", "admin-password")
			chargerID, password := s.registerCharger(admin, "CP-BILL-1", "fast", 60000)
			cp := s.connect("CP-BILL-1", password)
			driver := s.devLogin("13900001111")
			tag := s.appTag(driver)

			// 09:00–11:00 at a constant 30 kW: 30 kWh flat (0.70) + 30 kWh peak (1.00),
			// service 60 kWh × 0.80: 21.00 + 30.00 + 48.00 = 99.00 yuan.
			start := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
			tx := cp.charge(t, tag, start, start.Add(2*time.Hour), 60000)
			if _, err := cp.cp.StopTransaction(160000, types.NewDateTime(start.Add(2*time.Hour)), tx); err != nil {
				t.Fatalf("replayed stop: %v", err)
			}
			_, bills := s.callList("GET", "/api/v1/bills?month=2026-03", driver)
			if len(bills) != 1 {
				t.Fatalf("driver has %d bills after a stop and its replay, want 1", len(bills))
			}
			b := bills[0]
			lines := b["lines"].([]any)
			if b["total_fen"] != 9900.0 || b["energy_fee_fen"] != 5100.0 || b["service_fee_fen"] != 4800.0 || b["status"] != "unpaid" || len(lines) != 2 {
				t.Fatalf("bill = %v", b)
			}
			if l := lines[0].(map[string]any); l["period"] != "flat" || l["energy_wh"] != 30000.0 || l["energy_fee"] != 2100.0 {
				t.Errorf("first line = %v", l)
			}
			billID := b["id"].(string)

			status, pay := s.call("POST", "/api/v1/bills/"+billID+"/pay", driver, map[string]any{"return_url": "/bills"})
			if status != 200 || pay["provider"] != "sandbox" || pay["amount_fen"] != 9900.0 {
				t.Fatalf("pay: %d %v", status, pay)
			}
			payURL, _ := url.Parse(pay["pay_url"].(string))
			resp, err := http.Get(s.URL + payURL.RequestURI())
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(page), "沙箱") || !strings.Contains(string(page), "99.00") {
				t.Fatalf("sandbox page does not show the warning and amount: %s", page)
			}
			sig := regexp.MustCompile(`name="sig" value="([^"]+)"`).FindStringSubmatch(string(page))
			noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err = noRedirect.PostForm(s.URL+payURL.Path, url.Values{"action": {"pay"}, "sig": {sig[1]}})
			if err != nil || resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("press pay: %v %v", resp, err)
			}
			resp.Body.Close()
			paid := s.waitFor("/api/v1/bills/"+billID, driver, func(m map[string]any) bool {
				bill, _ := m["bill"].(map[string]any)
				return bill != nil && bill["status"] == "paid"
			})
			if bill := paid["bill"].(map[string]any); bill["paid_fen"] != 9900.0 {
				t.Errorf("paid bill = %v", bill)
			}
			if status, body := s.call("POST", "/api/v1/bills/"+billID+"/pay", driver, map[string]any{}); status != http.StatusConflict {
				t.Errorf("paying a paid bill: %d %v", status, body)
			}
			status, report := s.call("GET", "/api/v1/reports?by=charger&period=day&from=2026-03-02&to=2026-03-02", admin, nil)
			total, _ := report["total"].(map[string]any)
			if status != 200 || total["total_fen"] != 9900.0 || total["sessions"] != 1.0 || total["energy_wh"] != 60000.0 {
				t.Fatalf("report: %d %v", status, report)
			}
			if row := report["rows"].([]any)[0].(map[string]any); row["key"] != chargerID || row["bucket"] != 20260302.0 {
				t.Errorf("report row = %v", row)
			}

			// Refunds: part, the rest, then nothing more.
			for _, tc := range []struct {
				amount     int
				wantStatus int
				wantBill   string
			}{{1000, 200, "partly_refunded"}, {8900, 200, "refunded"}, {1, 422, ""}} {
				status, body := s.call("POST", "/api/v1/bills/"+billID+"/refund", admin, map[string]any{"amount_fen": tc.amount, "reason": "charger was slow"})
				if status != tc.wantStatus || (tc.wantBill != "" && body["status"] != tc.wantBill) {
					t.Errorf("refund %d: %d %v", tc.amount, status, body)
				}
			}
			if status, _ := s.call("POST", "/api/v1/bills/"+billID+"/refund", driver, map[string]any{"amount_fen": 1, "reason": "x"}); status != http.StatusForbidden {
				t.Errorf("driver refunding: %d", status)
			}

			// Documents and export.
			req, _ := http.NewRequest("GET", s.URL+"/api/v1/bills/"+billID+"/document?format=pdf", nil)
			req.Header.Set("Authorization", "Bearer "+driver)
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			pdf, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.HasPrefix(string(pdf), "%PDF-1.4") || !strings.Contains(string(pdf), "TOTAL: 99.00 CNY") {
				t.Errorf("pdf: %.200s", pdf)
			}
			req, _ = http.NewRequest("GET", s.URL+"/api/v1/bills.csv?from=2026-03-01&to=2026-03-31", nil)
			req.Header.Set("Authorization", "Bearer "+admin)
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			csv, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(csv), b["number"].(string)) || !strings.Contains(string(csv), ",99.00,99.00,99.00,refunded") {
				t.Errorf("csv: %s", csv)
			}

			// An unpaid bill older than the window blocks the next start.
			cp.charge(t, tag, start.Add(24*time.Hour), start.Add(25*time.Hour), 7000)
			s.clock.Advance(25 * time.Hour)
			if _, err := cp.cp.Heartbeat(); err != nil {
				t.Fatal(err)
			}
			driver = s.devLogin("13900001111") // the old login expired meanwhile
			status, body := s.call("POST", "/api/v1/sessions", driver, map[string]any{"charger_id": chargerID, "connector_id": 1}, "en")
			if status != http.StatusForbidden || !strings.Contains(body["detail"].(string), "Please pay bill") {
				t.Errorf("start with an old unpaid bill: %d %v", status, body)
			}
		})
	}
}
