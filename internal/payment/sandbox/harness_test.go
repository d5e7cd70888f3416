package sandbox

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"campuscharge/internal/clock"
	"campuscharge/internal/payment"
)

var t0 = time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)

// harness is a site with the sandbox page and a notify endpoint that parses
// what it receives and hands it to the test.
type harness struct {
	p      *Provider
	srv    *httptest.Server
	clock  *clock.Fake
	got    chan payment.Notification
	errs   chan error
	client *http.Client
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{clock: clock.NewFake(t0), got: make(chan payment.Notification, 10), errs: make(chan error, 10)}
	mux := http.NewServeMux()
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	p, err := New(Config{BaseURL: h.srv.URL, Secret: []byte("0123456789abcdef-test"), Clock: h.clock})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.p = p
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := p.Wait(ctx); err != nil {
			t.Errorf("Wait: %v", err)
		}
	})
	mux.Handle(PagePath+"{order}", p.Handler())
	mux.HandleFunc("POST "+payment.NotifyPath(Name), func(w http.ResponseWriter, r *http.Request) {
		n, err := p.ParseNotify(r.Context(), r)
		if err != nil {
			h.errs <- err
		} else {
			h.got <- n
		}
		payment.NotifyAck(w, err)
	})
	h.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return h
}

// next waits for the next notification the endpoint accepted.
func (h *harness) next(t *testing.T) payment.Notification {
	t.Helper()
	select {
	case n := <-h.got:
		return n
	case err := <-h.errs:
		t.Fatalf("notify endpoint rejected a sandbox notification: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no notification within 10 s")
	}
	return payment.Notification{}
}

// none checks that no notification is pending once deliveries are done.
func (h *harness) none(t *testing.T) {
	t.Helper()
	if err := h.p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-h.got:
		t.Errorf("unexpected notification %+v", n)
	case err := <-h.errs:
		t.Errorf("unexpected rejected notification: %v", err)
	default:
	}
}

func (h *harness) get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := h.client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// press posts a button of the page at payURL and returns the status and Location.
func (h *harness) press(t *testing.T, payURL, action string) (int, string) {
	t.Helper()
	u, err := url.Parse(payURL)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"sig": {u.Query().Get("sig")}, "action": {action}}
	resp, err := h.client.PostForm(h.srv.URL+u.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

func order(id string, fen int64) payment.Order {
	return payment.Order{ID: id, Description: "充电费 Charging fee", AmountFen: fen, ExpireAt: t0.Add(30 * time.Minute), ReturnURL: "/bills/" + id}
}

var ignoreIDs = cmpopts.IgnoreFields(payment.Notification{}, "EventID", "ProviderTxID", "ProviderRefundID")
