package billing

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

// printPage is a print-friendly bill: the browser's print dialog turns it
// into paper or a PDF with the Chinese text intact.
var printPage = template.Must(template.New("bill").Funcs(template.FuncMap{"yuan": yuan, "kwh": kwh, "feeName": feeName}).Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>账单 {{.B.Number}}</title>
<style>body{font:14px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;max-width:720px;margin:24px auto;color:#111}
h1{font-size:20px}table{width:100%;border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:4px 6px;text-align:right}
td:first-child,th:first-child{text-align:left}.total{font-weight:700;font-size:16px}@media print{button{display:none}}</style></head>
<body><h1>校园充电账单 Campus Charge bill</h1>
<p>账单号 Bill: <b>{{.B.Number}}</b><br>充电桩 Charger: {{.Charger}} · 枪 Connector {{.B.Connector}}<br>
开始 Start: {{.Start}} · 结束 Stop: {{.Stop}} ({{.Zone}})<br>电量 Energy: {{kwh .B.EnergyWh}} kWh · 时长 Duration: {{.Minutes}} min</p>
<table><tr><th>时段 Period</th><th>时间 Time</th><th>kWh</th><th>电费 Energy ¥</th><th>服务费 Service ¥</th></tr>
{{range .Lines}}<tr><td>{{.Period}}</td><td>{{.From}}–{{.To}}</td><td>{{kwh .EnergyWh}}</td><td>{{yuan .EnergyFee}}</td><td>{{yuan .ServiceFee}}</td></tr>{{end}}
</table>
{{if .B.Fees}}<table><tr><th>费用 Fee</th><th>¥</th></tr>
{{range .B.Fees}}<tr><td>{{feeName .Kind}}</td><td>{{yuan .AmountFen}}</td></tr>{{end}}
</table>{{end}}
<p>占位费 Idle fee: ¥{{yuan .B.IdleFee}} ({{.B.IdleMinutes}} min){{if .B.AdjustmentFen}} · 调整 Adjustment: ¥{{yuan .B.AdjustmentFen}}{{end}}</p>
<p class="total">合计 Total: ¥{{yuan .B.TotalFen}} · 已付 Paid: ¥{{yuan .B.PaidFen}}{{if .B.RefundedFen}} · 已退 Refunded: ¥{{yuan .B.RefundedFen}}{{end}} · 状态 Status: {{.B.Status}}</p>
<button onclick="print()">打印 / 保存为 PDF · Print / save as PDF</button></body></html>`))

type printLine struct {
	Period                string
	From, To              string
	EnergyWh              int64
	EnergyFee, ServiceFee int64
}

// WriteHTML writes the print-friendly bill.
func WriteHTML(w io.Writer, b Bill, chargerName string, loc *time.Location) error {
	data := struct {
		B                          Bill
		Charger, Start, Stop, Zone string
		Minutes                    int64
		Lines                      []printLine
	}{B: b, Charger: chargerName, Start: b.StartedAt.In(loc).Format("2006-01-02 15:04"), Stop: b.StoppedAt.In(loc).Format("2006-01-02 15:04"), Zone: loc.String(), Minutes: b.DurationS / 60}
	for _, l := range b.Lines {
		data.Lines = append(data.Lines, printLine{Period: l.Period, From: l.From.In(loc).Format("01-02 15:04"), To: l.To.In(loc).Format("15:04"), EnergyWh: l.EnergyWh, EnergyFee: l.EnergyFee, ServiceFee: l.ServiceFee})
	}
	return printPage.Execute(w, data)
}

// WritePDF writes the bill as a one-page PDF. The PDF's built-in fonts have
// no Chinese glyphs, so its labels are English; the HTML bill has both.
func WritePDF(w io.Writer, b Bill, chargerName string, loc *time.Location) error {
	lines := []string{
		"Campus Charge bill " + b.Number,
		"",
		"Charger: " + ascii(chargerName) + "   connector " + fmt.Sprint(b.Connector),
		"Start: " + b.StartedAt.In(loc).Format("2006-01-02 15:04") + "   Stop: " + b.StoppedAt.In(loc).Format("2006-01-02 15:04") + "  (" + loc.String() + ")",
		fmt.Sprintf("Energy: %s kWh   Duration: %d min", kwh(b.EnergyWh), b.DurationS/60),
		"",
		fmt.Sprintf("%-8s %-19s %10s %12s %12s", "Period", "Time", "kWh", "Energy CNY", "Service CNY"),
	}
	for _, l := range b.Lines {
		lines = append(lines, fmt.Sprintf("%-8s %-19s %10s %12s %12s", ascii(l.Period), l.From.In(loc).Format("01-02 15:04")+"-"+l.To.In(loc).Format("15:04"), kwh(l.EnergyWh), yuan(l.EnergyFee), yuan(l.ServiceFee)))
	}
	for _, f := range b.Fees {
		lines = append(lines, fmt.Sprintf("%-40s %12s", cmp.Or(feeNamesEN[f.Kind], ascii(f.Kind)), yuan(f.AmountFen)))
	}
	lines = append(lines, "", fmt.Sprintf("Idle fee: %s CNY (%d min)   Adjustment: %s CNY", yuan(b.IdleFee), b.IdleMinutes, yuan(b.AdjustmentFen)),
		fmt.Sprintf("TOTAL: %s CNY   Paid: %s CNY   Refunded: %s CNY   Status: %s", yuan(b.TotalFen), yuan(b.PaidFen), yuan(b.RefundedFen), b.Status))
	var content bytes.Buffer
	content.WriteString("BT /F1 10 Tf 50 790 Td 14 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&content, "(%s) Tj T*\n", pdfEscape(l))
	}
	content.WriteString("ET\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	_, err := w.Write(out.Bytes())
	return err
}

// feeNamesZH and feeNamesEN name the fee lines of a reservation's bill.
var (
	feeNamesZH = map[string]string{FeeReservation: "预约费", FeeNoShow: "未到场费"}
	feeNamesEN = map[string]string{FeeReservation: "Reservation fee", FeeNoShow: "No-show fee"}
)

// feeName is a fee line's bilingual name ("预约费 Reservation fee").
func feeName(kind string) string {
	if en, ok := feeNamesEN[kind]; ok {
		return feeNamesZH[kind] + " " + en
	}
	return kind
}

// ascii keeps printable ASCII, replacing anything else with '?'.
func ascii(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 32 || r > 126 {
			return '?'
		}
		return r
	}, s)
}

func pdfEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(ascii(s))
}
