package sandbox

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"campuscharge/internal/payment"
)

// Handler serves the sandbox payment page at PagePath + "{order}": GET shows
// the order and the Pay / Fail buttons, POST records the choice, sends the
// signed notification in the background and redirects the browser to the
// order's ReturnURL (or back to the page). Mount it at PagePath.
func (p *Provider) Handler() http.Handler { return http.HandlerFunc(p.servePage) }

// pageData fills the page template.
type pageData struct {
	OrderID     string
	Description string
	Amount      string
	Sig         string
	State       payment.State
	Payable     bool
	Message     string
	MessageZH   string
}

// servePage handles GET and POST of the payment page.
func (p *Provider) servePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	id := r.PathValue("order")
	if id == "" {
		id = r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	}
	sig := r.FormValue("sig")
	if !payment.ValidOrderID(id) || !p.validPageSig(id, sig) {
		p.render(w, http.StatusForbidden, pageData{OrderID: id, Message: "This payment link is invalid.", MessageZH: "支付链接无效。"})
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		data, ok := p.view(id, sig)
		if !ok {
			p.render(w, http.StatusNotFound, pageData{OrderID: id, Message: "Unknown order.", MessageZH: "订单不存在。"})
			return
		}
		p.render(w, http.StatusOK, data)
	case http.MethodPost:
		p.choose(w, r, id, sig)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// view returns the page data of an order.
func (p *Provider) view(id, sig string) (pageData, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rec, ok := p.orders[id]
	if !ok {
		return pageData{}, false
	}
	d := pageData{
		OrderID: id, Description: rec.order.Description, Amount: Yuan(rec.order.AmountFen), Sig: sig, State: rec.state,
		Payable: p.payable(rec),
	}
	if !d.Payable {
		d.Message, d.MessageZH = stateText(rec)
	}
	return d, true
}

// payable reports whether the order can still be paid or failed.
func (p *Provider) payable(rec *record) bool {
	if rec.state != payment.StatePaying && rec.state != payment.StateFailed {
		return false
	}
	return rec.order.ExpireAt.IsZero() || p.clock.Now().Before(rec.order.ExpireAt)
}

// stateText explains why an order cannot be paid, in English and Chinese.
func stateText(rec *record) (string, string) {
	switch rec.state {
	case payment.StatePaid:
		return "This order is paid.", "该订单已支付。"
	case payment.StateRefunded:
		return "This order was refunded.", "该订单已退款。"
	case payment.StateClosed:
		return "This order is closed.", "该订单已关闭。"
	default:
		return "This order has expired.", "该订单已过期。"
	}
}

// choose applies the Pay or Fail button.
func (p *Provider) choose(w http.ResponseWriter, r *http.Request, id, sig string) {
	action := r.PostFormValue("action")
	if action != "pay" && action != "fail" {
		http.Error(w, "action must be pay or fail", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	rec, ok := p.orders[id]
	if !ok {
		p.mu.Unlock()
		p.render(w, http.StatusNotFound, pageData{OrderID: id, Message: "Unknown order.", MessageZH: "订单不存在。"})
		return
	}
	if !p.payable(rec) || (action == "fail" && rec.state == payment.StateFailed) {
		p.mu.Unlock()
		data, _ := p.view(id, sig)
		p.render(w, http.StatusConflict, data)
		return
	}
	if rec.txID == "" {
		rec.txID = "SBX" + randomText()
	}
	if action == "pay" {
		rec.state, rec.paidAt = payment.StatePaid, p.clock.Now().UTC()
	} else {
		rec.state = payment.StateFailed
	}
	n, back := rec.notification(), rec.order.ReturnURL
	p.mu.Unlock()

	p.notifyAsync(r.Context(), n)
	if back == "" {
		back = PagePath + id + "?sig=" + sig
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// render writes the page.
func (p *Provider) render(w http.ResponseWriter, status int, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pageTemplate.Execute(w, d); err != nil {
		p.log.Warn("sandbox payment: render page", "order_id", d.OrderID, "err", err)
	}
}

// Yuan formats an amount in fen as yuan with two decimals, e.g. 1234 → "12.34".
func Yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// pageTemplate is the bilingual sandbox payment page.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>沙箱支付 / Sandbox payment</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:28rem;margin:0 auto;padding:1rem;color:#222}
.warn{background:#fff3cd;border:2px dashed #d48806;padding:.75rem;border-radius:.5rem;font-weight:600}
.amount{font-size:2.5rem;text-align:center;margin:1rem 0}
form{display:flex;gap:.75rem}
button{flex:1;font-size:1.1rem;padding:.8rem;border:0;border-radius:.5rem;color:#fff}
.pay{background:#07c160}.fail{background:#fa5151}
.muted{color:#666;font-size:.9rem}
</style>
</head>
<body>
<p class="warn" role="alert">沙箱支付 — 模拟支付，不会真实扣款<br><span lang="en">Sandbox payment — no real money</span></p>
{{if .Description}}<p>{{.Description}}</p>{{end}}
{{if .Amount}}<p class="amount">¥{{.Amount}}</p>{{end}}
<p class="muted">订单号 / Order: {{.OrderID}}{{if .State}} · 状态 / State: {{.State}}{{end}}</p>
{{if .Message}}<p>{{.MessageZH}}<br><span lang="en">{{.Message}}</span></p>{{end}}
{{if .Payable}}<form method="post">
<input type="hidden" name="sig" value="{{.Sig}}">
<button class="pay" name="action" value="pay">支付成功 / Pay</button>
<button class="fail" name="action" value="fail">支付失败 / Fail</button>
</form>{{end}}
</body>
</html>
`))
