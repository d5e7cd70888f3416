package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/testutil"
)

// supportEvents opens the event stream as token and sends each event's type and
// data to the returned channel until the test ends.
func (s *testServer) supportEvents(token string) <-chan [2]string {
	s.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s.t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", s.URL+"/api/v1/events", nil)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("events: status %d", resp.StatusCode)
	}
	ch := make(chan [2]string, 64)
	sc := bufio.NewScanner(resp.Body)
	// The stream says hello first; wait for it so no event is missed.
	for sc.Scan() && !strings.HasPrefix(sc.Text(), ": connected") {
	}
	go func() {
		defer resp.Body.Close()
		var typ string
		for sc.Scan() {
			line := sc.Text()
			if t, ok := strings.CutPrefix(line, "event: "); ok {
				typ = t
			}
			if d, ok := strings.CutPrefix(line, "data: "); ok {
				ch <- [2]string{typ, d}
			}
		}
	}()
	return ch
}

// nextEvent waits (bounded) for an event of type typ.
func nextEvent(t *testing.T, ch <-chan [2]string, typ string) map[string]any {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case e := <-ch:
			if e[0] != typ {
				continue
			}
			var out map[string]any
			if err := json.Unmarshal([]byte(e[1]), &out); err != nil {
				t.Fatal(err)
			}
			return out
		case <-deadline:
			t.Fatalf("no %s event within 5 s", typ)
			return nil
		}
	}
}

var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

func TestFeedbackAndChatOverHTTP(t *testing.T) {
	s := startServer(t, testutil.Engine{Name: "sqlite"}, nil)
	s.staff(account.RoleSupport, "amy")
	agent := s.login("amy", "amy-password")
	li, wang := s.devLogin("13800000001"), s.devLogin("13800000002")
	agentEvents, liEvents, wangEvents := s.supportEvents(agent), s.supportEvents(li), s.supportEvents(wang)

	status, created := s.call("POST", "/api/v1/feedback", li, map[string]any{"category": "charger_fault", "body": "枪头损坏",
		"photos": []string{base64.StdEncoding.EncodeToString(onePixelPNG)}})
	if status != http.StatusCreated {
		t.Fatalf("create feedback: got %d %v, want 201", status, created)
	}
	fb := created["feedback"].(map[string]any)
	id := fb["id"].(string)
	if got := nextEvent(t, agentEvents, "feedback.created"); got["data"].(map[string]any)["id"] != id {
		t.Errorf("support's feedback.created: got %v", got)
	}
	photos := created["photos"].([]any)
	if len(photos) != 1 {
		t.Fatalf("got %d photos, want 1", len(photos))
	}
	req, _ := http.NewRequest("GET", s.URL+photos[0].(map[string]any)["url"].(string), nil)
	req.Header.Set("Authorization", "Bearer "+li)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	img, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Content-Type") != "image/png" || string(img) != string(onePixelPNG) {
		t.Errorf("photo: got %s %q, want the PNG back", resp.Header.Get("Content-Type"), img)
	}
	if status, _ := s.call("GET", "/api/v1/feedback/"+id, wang, nil); status != http.StatusNotFound {
		t.Errorf("another driver's feedback: got %d, want 404", status)
	}
	if status, body := s.call("POST", "/api/v1/feedback/"+id+"/replies", agent, map[string]any{"body": "已派人维修"}); status != http.StatusOK || body["feedback"].(map[string]any)["status"] != "answered" {
		t.Errorf("reply: got %d %v, want answered", status, body)
	}
	if got := nextEvent(t, liEvents, "feedback.replied"); got["data"].(map[string]any)["reply"].(map[string]any)["body"] != "已派人维修" {
		t.Errorf("driver's feedback.replied: got %v", got)
	}
	_, mine := s.callList("GET", "/api/v1/feedback", li)
	if len(mine) != 1 || mine[0]["reply_count"] != float64(1) {
		t.Errorf("driver's list: got %v", mine)
	}

	// Chat: the driver writes, support sees it live and answers; only that driver hears back.
	if status, body := s.call("POST", "/api/v1/chat/messages", li, map[string]any{"body": "在吗？"}); status != http.StatusCreated {
		t.Fatalf("driver writes: got %d %v", status, body)
	}
	if got := nextEvent(t, liEvents, "chat.message"); got["data"].(map[string]any)["message"].(map[string]any)["body"] != "在吗？" {
		t.Errorf("driver's own message echoed: got %v", got)
	}
	got := nextEvent(t, agentEvents, "chat.message")
	liID := got["data"].(map[string]any)["message"].(map[string]any)["user_id"].(string)
	_, convs := s.callList("GET", "/api/v1/chats?unread=true", agent)
	if len(convs) != 1 || convs[0]["staff_unread"] != float64(1) {
		t.Errorf("support's unread conversations: got %v", convs)
	}
	if status, body := s.call("POST", "/api/v1/chats/"+liID+"/messages", agent, map[string]any{"body": "您好，请讲"}); status != http.StatusCreated {
		t.Errorf("support answers: got %d %v", status, body)
	}
	if got := nextEvent(t, liEvents, "chat.message"); got["data"].(map[string]any)["message"].(map[string]any)["body"] != "您好，请讲" {
		t.Errorf("driver's chat.message: got %v", got)
	}
	if status, _ := s.call("POST", "/api/v1/chat/messages", wang, map[string]any{"body": "me"}); status != http.StatusCreated {
		t.Fatal("second driver writes")
	}
	// Wang's stream carries Wang's own message, and never Li's conversation.
	if got := nextEvent(t, wangEvents, "chat.message"); got["data"].(map[string]any)["message"].(map[string]any)["body"] != "me" {
		t.Errorf("wang's first chat event: got %v, want only his own", got)
	}
	if _, c := s.call("GET", "/api/v1/chat", li, nil); c["driver_unread"] != float64(1) {
		t.Errorf("driver unread: got %v, want 1", c)
	}
	if _, c := s.call("POST", "/api/v1/chat/read", li, nil); c["driver_unread"] != float64(0) {
		t.Errorf("after read: got %v, want 0", c)
	}
	_, history := s.callList("GET", "/api/v1/chat/messages?limit=1", li)
	if len(history) != 1 || history[0]["body"] != "您好，请讲" {
		t.Errorf("history page: got %v", history)
	}
	if status, _ := s.call("GET", "/api/v1/chats", li, nil); status != http.StatusForbidden {
		t.Errorf("driver listing chats: got %d, want 403", status)
	}
}

func TestStatsSystemAndBackupsOverHTTP(t *testing.T) {
	s := startServer(t, testutil.Engine{Name: "sqlite"}, nil)
	admin := s.login("admin", "admin-password")
	s.staff(account.RoleOperator, "olga")
	op := s.login("olga", "olga-password")
	driver := s.devLogin("13800000003")
	for _, path := range []string{"/stats/daily", "/stats/utilisation", "/stats/heatmap", "/stats/split", "/stats/ranking", "/stats/dashboard", "/stats/scheduling"} {
		if status, body := s.call("GET", "/api/v1"+path, op, nil); status != http.StatusOK {
			t.Errorf("%s as operator: got %d %v, want 200", path, status, body)
		}
		if status, _ := s.call("GET", "/api/v1"+path, driver, nil); status != http.StatusForbidden {
			t.Errorf("%s as driver: got %d, want 403", path, status)
		}
	}
	for _, path := range []string{"/stats/daily", "/stats/ranking"} {
		if status, body := s.call("GET", "/api/v1"+path+"?from=2025-03-10&to=2025-03-01", op, nil); status != http.StatusUnprocessableEntity && status != http.StatusBadRequest {
			t.Errorf("%s over a reversed period: got %d %v, want a validation error (the period is read)", path, status, body)
		}
	}

	status, st := s.call("GET", "/api/v1/system/status", admin, nil)
	if status != http.StatusOK || st["database_engine"] != "sqlite" || st["payment_provider"] != "sandbox" || st["wechat_pay_configured"] != false || st["schema_version"].(float64) < 6 {
		t.Errorf("system status: got %d %v", status, st)
	}
	if status, _ := s.call("GET", "/api/v1/system/status", op, nil); status != http.StatusForbidden {
		t.Errorf("status as operator: got %d, want 403", status)
	}

	status, made := s.call("POST", "/api/v1/backups", admin, nil)
	if status != http.StatusCreated {
		t.Fatalf("backup now: got %d %v", status, made)
	}
	_, list := s.callList("GET", "/api/v1/backups", admin)
	if len(list) != 1 || list[0]["name"] != made["name"] {
		t.Errorf("backups: got %v, want the one made", list)
	}
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/backups/"+made["name"].(string), nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(raw), "SQLite format 3\x00") || int64(len(raw)) != int64(made["size_bytes"].(float64)) {
		t.Errorf("download: got %d, %d bytes, want the SQLite file of %v bytes", resp.StatusCode, len(raw), made["size_bytes"])
	}
	if status, _ := s.call("GET", "/api/v1/backups/..%2Fcampuscharge.db", admin, nil); status != http.StatusNotFound {
		t.Errorf("download outside backups: got %d, want 404", status)
	}

	// restore refuses while this server holds the data directory.
	var out, errOut strings.Builder
	err = run(context.Background(), []string{"restore", "--data-dir", s.cfg.DataDir, s.cfg.DataDir + "/backups/" + made["name"].(string)}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore while serving: got %v, want refusal", err)
	}
}
