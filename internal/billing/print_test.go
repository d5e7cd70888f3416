package billing

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/tariff"
)

// sampleBill is a paid, partly refunded, adjusted bill with two lines.
func sampleBill() Bill {
	start := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) // 09:00 in Shanghai
	return Bill{ID: "B1", Number: "CC20260302-000042", SessionID: "S1", UserID: "U1", ChargerID: "C1", SiteID: "SITE1", Connector: 2,
		StartedAt: start, StoppedAt: start.Add(2*time.Hour + 30*time.Second), DurationS: 7230, EnergyWh: 60005,
		EnergyFee: 5100, ServiceFee: 4800, IdleMinutes: 12, IdleFee: 120, AdjustmentFen: -5, TotalFen: 10015, PaidFen: 10015, RefundedFen: 1000,
		Status: StatusPartRefunded, Kind: KindSession, Lines: []tariff.Line{
			{Period: "flat", From: start, To: start.Add(time.Hour), EnergyWh: 30000, EnergyPrice: 7000, ServicePrice: 8000, EnergyFee: 2100, ServiceFee: 2400},
			{Period: "peak", From: start.Add(time.Hour), To: start.Add(2*time.Hour + 30*time.Second), EnergyWh: 30005, EnergyPrice: 10000, ServicePrice: 8000, EnergyFee: 3000, ServiceFee: 2400},
		}}
}

// feeBill is an unpaid fee-only bill of a reservation that expired unused.
func feeBill() Bill {
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	return Bill{ID: "B3", Number: "CC20260302-000044", Kind: KindReservation, SessionID: "R1", ReservationID: "R1", UserID: "U1", ChargerID: "C1", SiteID: "SITE1", Connector: 1,
		StartedAt: at, StoppedAt: at.Add(20 * time.Minute), DurationS: 1200, ReservationFee: 700, TotalFen: 700, Status: StatusUnpaid,
		Fees: []FeeLine{{Kind: FeeReservation, AmountFen: 200}, {Kind: FeeNoShow, AmountFen: 500}}}
}

func TestWriteCSV(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	free := Bill{Number: "CC20260302-000043", SessionID: "S2", ChargerID: "C1", Connector: 1, StartedAt: time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC),
		StoppedAt: time.Date(2026, 3, 2, 16, 0, 59, 0, time.UTC), DurationS: 59, Status: StatusFree, Kind: KindSession}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []Bill{sampleBill(), free, feeBill()}, shanghai); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	want := [][]string{
		{"number", "session_id", "user_id", "charger_id", "site_id", "connector", "started_at", "stopped_at", "duration_min",
			"energy_kwh", "energy_fee_yuan", "service_fee_yuan", "idle_fee_yuan", "reservation_fee_yuan", "adjustment_yuan", "total_yuan", "paid_yuan", "refunded_yuan", "status", "kind"},
		{"CC20260302-000042", "S1", "U1", "C1", "SITE1", "2", "2026-03-02 09:00:00", "2026-03-02 11:00:30", "120",
			"60.005", "51.00", "48.00", "1.20", "0.00", "-0.05", "100.15", "100.15", "10.00", "partly_refunded", "session"},
		{"CC20260302-000043", "S2", "", "C1", "", "1", "2026-03-03 00:00:00", "2026-03-03 00:00:59", "0",
			"0.000", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "free", "session"},
		{"CC20260302-000044", "R1", "U1", "C1", "SITE1", "1", "2026-03-02 09:00:00", "2026-03-02 09:20:00", "20",
			"0.000", "0.00", "0.00", "0.00", "7.00", "0.00", "7.00", "0.00", "0.00", "unpaid", "reservation"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("CSV (-want +got):\n%s", diff)
	}
}

func TestWriteCSVEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, nil, time.UTC); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "\n"); got != 1 || !strings.HasPrefix(buf.String(), "number,") {
		t.Errorf("got %q, want only the header row", buf.String())
	}
}

func TestYuanAndKWh(t *testing.T) {
	tests := []struct {
		fen, wh       int64
		yuan, kwhText string
	}{{0, 0, "0.00", "0.000"}, {5, 5, "0.05", "0.005"}, {-5, 999, "-0.05", "0.999"}, {-12345, 1000, "-123.45", "1.000"}, {100, 123456, "1.00", "123.456"}}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.fen), func(t *testing.T) {
			if got := yuan(tt.fen); got != tt.yuan {
				t.Errorf("yuan(%d): got %q, want %q", tt.fen, got, tt.yuan)
			}
			if got := kwh(tt.wh); got != tt.kwhText {
				t.Errorf("kwh(%d): got %q, want %q", tt.wh, got, tt.kwhText)
			}
		})
	}
}

// TestWritePDF checks the PDF's structure (every xref offset points at its
// object, the stream length is right, startxref points at the table) and
// its text, with non-ASCII replaced and parentheses escaped.
func TestWritePDF(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePDF(&buf, sampleBill(), "北门 (North gate) #3", shanghai); err != nil {
		t.Fatalf("WritePDF: %v", err)
	}
	pdf := buf.String()
	if !strings.HasPrefix(pdf, "%PDF-1.4\n") || !strings.HasSuffix(pdf, "%%EOF\n") {
		t.Fatalf("not a PDF file: %.40q … %q", pdf, pdf[max(0, len(pdf)-20):])
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindStringSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(m[1])
	if !strings.HasPrefix(pdf[xref:], "xref\n0 6\n") {
		t.Fatalf("startxref %d points at %.20q, want the xref table of 6 entries", xref, pdf[xref:])
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllStringSubmatch(pdf[xref:], -1)
	if len(entries) != 5 {
		t.Fatalf("got %d xref entries, want 5", len(entries))
	}
	for i, e := range entries {
		off, _ := strconv.Atoi(e[1])
		if want := fmt.Sprintf("%d 0 obj\n", i+1); !strings.HasPrefix(pdf[off:], want) {
			t.Errorf("xref entry %d (offset %d) points at %.12q, want %q", i+1, off, pdf[off:], want)
		}
	}
	sm := regexp.MustCompile(`(?s)<< /Length (\d+) >>\nstream\n(.*)endstream`).FindStringSubmatch(pdf)
	if sm == nil {
		t.Fatal("no content stream")
	}
	if n, _ := strconv.Atoi(sm[1]); n != len(sm[2]) {
		t.Errorf("stream /Length %d, content has %d bytes", n, len(sm[2]))
	}
	for _, want := range []string{
		"(Campus Charge bill CC20260302-000042) Tj",
		`(Charger: ?? \(North gate\) #3   connector 2) Tj`,
		"(Start: 2026-03-02 09:00   Stop: 2026-03-02 11:00  \\(Asia/Shanghai\\)) Tj",
		"(Energy: 60.005 kWh   Duration: 120 min) Tj",
		"(flat     03-02 09:00-10:00       30.000        21.00        24.00) Tj",
		"(peak     03-02 10:00-11:00       30.005        30.00        24.00) Tj",
		"(Idle fee: 1.20 CNY \\(12 min\\)   Adjustment: -0.05 CNY) Tj",
		"(TOTAL: 100.15 CNY   Paid: 100.15 CNY   Refunded: 10.00 CNY   Status: partly_refunded) Tj",
	} {
		if !strings.Contains(sm[2], want) {
			t.Errorf("content lacks %q:\n%s", want, sm[2])
		}
	}
	for i := 0; i < len(pdf); i++ {
		if pdf[i] > 126 {
			t.Fatalf("byte %d is %#x: the PDF's font has only ASCII", i, pdf[i])
		}
	}
}

func TestWriteHTML(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, sampleBill(), "北门 <3号桩>", time.UTC); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	html := buf.String()
	for _, want := range []string{"CC20260302-000042", "北门 &lt;3号桩&gt;", "合计 Total: ¥100.15", "<td>peak</td><td>03-02 02:00–03:00</td><td>30.005</td><td>30.00</td><td>24.00</td>"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestFeeBillDocuments(t *testing.T) {
	var html, pdf bytes.Buffer
	if err := WriteHTML(&html, feeBill(), "北门 3号桩", time.UTC); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<td>预约费 Reservation fee</td><td>2.00</td>", "<td>未到场费 No-show fee</td><td>5.00</td>", "合计 Total: ¥7.00"} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if err := WritePDF(&pdf, feeBill(), "North 3", time.UTC); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"(Reservation fee", "(No-show fee", "TOTAL: 7.00 CNY"} {
		if !strings.Contains(pdf.String(), want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
}
