package support_test

import (
	"context"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
	"campuscharge/internal/store"
	"campuscharge/internal/support"
	"campuscharge/internal/testutil"
	"github.com/google/go-cmp/cmp"
)

// recorder keeps every published event.
type recorder struct {
	mu  sync.Mutex
	evs []events.Event
}

func (r *recorder) Publish(e events.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, e)
}

func (r *recorder) types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.evs {
		out = append(out, e.Type+":"+e.UserID)
	}
	return out
}

var (
	driver  = account.User{ID: "01DRIVER000000000000000001", Role: account.RoleDriver, DisplayName: "Li"}
	other   = account.User{ID: "01DRIVER000000000000000002", Role: account.RoleDriver}
	agent   = account.User{ID: "01AGENT0000000000000000001", Role: account.RoleSupport, Name: "amy"}
	pngData = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
)

func newService(t *testing.T, db *store.DB) (*support.Service, *recorder, *clock.Fake) {
	clk := clock.NewFake(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
	rec := &recorder{}
	return support.NewService(store.NewSupport(db), rec, clk, support.Options{}), rec, clk
}

func TestFeedbackValidation(t *testing.T) {
	db := testutil.NewDB(t, testutil.Engine{Name: "sqlite"})
	svc, _, _ := newService(t, db)
	png := base64.StdEncoding.EncodeToString(pngData)
	big := base64.StdEncoding.EncodeToString(append(append([]byte{}, pngData...), make([]byte, support.MaxPhotoBytes)...))
	tests := []struct {
		name string
		in   support.FeedbackInput
		key  string
	}{
		{"ok", support.FeedbackInput{Category: support.CategoryOther, Body: "hello", Photos: []support.PhotoInput{support.PhotoInput(png), support.PhotoInput("data:image/png;base64," + png)}}, ""},
		{"bad category", support.FeedbackInput{Category: "rant", Body: "x"}, "bad_category"},
		{"empty body", support.FeedbackInput{Category: support.CategoryOther, Body: "  "}, "body_required"},
		{"long body", support.FeedbackInput{Category: support.CategoryOther, Body: strings.Repeat("充", support.MaxBodyRunes+1)}, "body_too_long"},
		{"body at limit", support.FeedbackInput{Category: support.CategoryOther, Body: strings.Repeat("充", support.MaxBodyRunes)}, ""},
		{"four photos", support.FeedbackInput{Category: support.CategoryOther, Body: "x", Photos: []support.PhotoInput{"a", "b", "c", "d"}}, "too_many_photos"},
		{"not base64", support.FeedbackInput{Category: support.CategoryOther, Body: "x", Photos: []support.PhotoInput{"!!"}}, "bad_photo"},
		{"not an image", support.FeedbackInput{Category: support.CategoryOther, Body: "x", Photos: []support.PhotoInput{support.PhotoInput(base64.StdEncoding.EncodeToString([]byte("plain text")))}}, "bad_photo"},
		{"too large", support.FeedbackInput{Category: support.CategoryOther, Body: "x", Photos: []support.PhotoInput{support.PhotoInput(big)}}, "photo_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.SubmitFeedback(context.Background(), driver, tt.in)
			got := ""
			var ae *apperr.Error
			if err != nil {
				if !asAppErr(err, &ae) || len(ae.Fields) == 0 {
					t.Fatalf("got %v, want a field error", err)
				}
				got = ae.Fields[0].Key
			}
			if got != tt.key {
				t.Errorf("got key %q, want %q", got, tt.key)
			}
		})
	}
}

func asAppErr(err error, target **apperr.Error) bool {
	e, ok := err.(*apperr.Error)
	if ok {
		*target = e
	}
	return ok
}

func TestFeedbackFlow(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, rec, clk := newService(t, db)
		png := support.PhotoInput(base64.StdEncoding.EncodeToString(pngData))
		f, err := svc.SubmitFeedback(ctx, driver, support.FeedbackInput{Category: support.CategoryChargerFault, Body: "Gun 2 is 50% broken_", ChargerID: "C1", Photos: []support.PhotoInput{png}})
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		if _, err := svc.SubmitFeedback(ctx, other, support.FeedbackInput{Category: support.CategoryBilling, Body: "charged twice"}); err != nil {
			t.Fatal(err)
		}

		// Who sees what.
		mine, _, err := svc.FeedbackList(ctx, driver, support.FeedbackFilter{})
		if err != nil || len(mine) != 1 || mine[0].ID != f.ID {
			t.Fatalf("driver's list: got %v %v, want only %s", mine, err, f.ID)
		}
		all, _, _ := svc.FeedbackList(ctx, agent, support.FeedbackFilter{})
		if len(all) != 2 {
			t.Errorf("support sees %d tickets, want 2", len(all))
		}
		if _, _, _, err := svc.FeedbackDetail(ctx, other, f.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another driver reading: got %v, want not found", err)
		}
		for _, q := range []struct {
			q    string
			want int
		}{{"50%", 1}, {"broken_", 1}, {"5_%", 0}, {"twice", 1}, {"", 2}} {
			got, _, _ := svc.FeedbackList(ctx, agent, support.FeedbackFilter{Query: q.q})
			if len(got) != q.want {
				t.Errorf("search %q: got %d, want %d", q.q, len(got), q.want)
			}
		}
		page, next, _ := svc.FeedbackList(ctx, agent, support.FeedbackFilter{Limit: 1})
		rest, end, _ := svc.FeedbackList(ctx, agent, support.FeedbackFilter{Limit: 1, Cursor: next})
		if len(page) != 1 || len(rest) != 1 || page[0].ID == rest[0].ID || end != "" {
			t.Errorf("paging: got %v then %v (next %q)", page, rest, end)
		}

		// Photos come back byte for byte.
		p, err := svc.Photo(ctx, driver, f.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(pngData, p.Data); diff != "" || p.ContentType != "image/png" {
			t.Errorf("photo (-want +got):\n%s type %s", diff, p.ContentType)
		}
		if _, err := svc.Photo(ctx, driver, f.ID, 2); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing photo: got %v, want not found", err)
		}

		// Staff answer, driver follows up, then it is closed.
		steps := []struct {
			who    account.User
			status string
		}{{agent, support.StatusAnswered}, {driver, support.StatusOpen}, {agent, support.StatusAnswered}}
		for i, st := range steps {
			clk.Advance(time.Minute)
			got, _, err := svc.Reply(ctx, st.who, f.ID, "reply")
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != st.status || got.ReplyCount != i+1 {
				t.Errorf("after reply %d: got %s/%d, want %s/%d", i, got.Status, got.ReplyCount, st.status, i+1)
			}
		}
		_, rs, ps, err := svc.FeedbackDetail(ctx, driver, f.ID)
		if err != nil || len(rs) != 3 || !rs[0].FromStaff || rs[1].FromStaff || len(ps) != 1 || ps[0].Data != nil {
			t.Errorf("detail: got replies %v photos %v err %v", rs, ps, err)
		}
		if _, err := svc.Close(ctx, driver, f.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Reply(ctx, agent, f.ID, "late"); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("reply to closed: got %v, want conflict", err)
		}
		want := []string{"feedback.created:" + driver.ID, "feedback.created:" + other.ID, "feedback.replied:" + driver.ID, "feedback.replied:" + driver.ID,
			"feedback.replied:" + driver.ID, "feedback.closed:" + driver.ID}
		if diff := cmp.Diff(want, rec.types()); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

func TestChat(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, rec, clk := newService(t, db)
		if c, err := svc.Conversation(ctx, driver, ""); err != nil || c.UserID != driver.ID || c.StaffUnread != 0 {
			t.Fatalf("empty conversation: got %+v %v", c, err)
		}
		send := func(u account.User, to, body string) support.Conversation {
			t.Helper()
			clk.Advance(time.Second)
			_, c, err := svc.SendMessage(ctx, u, to, body)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		send(driver, "", "hello")
		send(driver, "ignored-for-drivers", "anyone?")
		c := send(agent, driver.ID, "Hi, how can I help?")
		if c.StaffUnread != 2 || c.DriverUnread != 1 || c.LastPreview != "Hi, how can I help?" {
			t.Errorf("unread: got staff %d driver %d preview %q, want 2, 1", c.StaffUnread, c.DriverUnread, c.LastPreview)
		}
		send(other, "", "me too")
		if _, _, err := svc.SendMessage(ctx, agent, "", "to nobody"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("staff without driver: got %v, want invalid", err)
		}

		cs, _, err := svc.Conversations(ctx, agent, support.ConversationFilter{})
		if err != nil || len(cs) != 2 || cs[0].UserID != other.ID {
			t.Fatalf("conversations: got %+v %v, want other's first", cs, err)
		}
		first, next, _ := svc.Conversations(ctx, agent, support.ConversationFilter{Limit: 1})
		second, end, err := svc.Conversations(ctx, agent, support.ConversationFilter{Limit: 1, Cursor: next})
		if err != nil || len(first) != 1 || len(second) != 1 || second[0].UserID != driver.ID || end != "" {
			t.Errorf("conversation paging: got %v / %v (%q, %v)", first, second, end, err)
		}
		if _, _, err := svc.Conversations(ctx, driver, support.ConversationFilter{}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("driver listing conversations: got %v, want forbidden", err)
		}

		c, err = svc.MarkRead(ctx, agent, driver.ID)
		if err != nil || c.StaffUnread != 0 || c.DriverUnread != 1 {
			t.Errorf("staff read: got %+v %v", c, err)
		}
		unread, _, _ := svc.Conversations(ctx, agent, support.ConversationFilter{UnreadOnly: true})
		if len(unread) != 1 || unread[0].UserID != other.ID {
			t.Errorf("unread only: got %+v, want other's", unread)
		}
		if c, _ = svc.MarkRead(ctx, driver, ""); c.DriverUnread != 0 {
			t.Errorf("driver read: got %d unread", c.DriverUnread)
		}

		// History: newest first, paged, each driver only their own.
		ms, next, err := svc.Messages(ctx, driver, "", "", 2)
		if err != nil {
			t.Fatal(err)
		}
		older, end, _ := svc.Messages(ctx, driver, "", next, 2)
		var bodies []string
		for _, m := range append(ms, older...) {
			bodies = append(bodies, m.Body)
		}
		if diff := cmp.Diff([]string{"Hi, how can I help?", "anyone?", "hello"}, bodies); diff != "" || end != "" {
			t.Errorf("history (-want +got):\n%s next %q", diff, end)
		}
		theirs, _, _ := svc.Messages(ctx, other, driver.ID, "", 10)
		if len(theirs) != 1 || theirs[0].Body != "me too" {
			t.Errorf("other driver's history: got %+v", theirs)
		}
		n := 0
		for _, e := range rec.types() {
			if strings.HasPrefix(e, support.EventChatMessage+":"+driver.ID) {
				n++
			}
		}
		if n != 3 {
			t.Errorf("got %d chat.message events for the driver, want 3", n)
		}
	})
}

func TestConversationNamesTheDriver(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, _, clk := newService(t, db)
		named := account.User{ID: "01DRIVER000000000000000003", Role: account.RoleDriver, DisplayName: "王小明", Phone: "13800000003",
			CreatedAt: clk.Now(), UpdatedAt: clk.Now()}
		if err := store.NewUsers(db).CreateUser(ctx, named); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SendMessage(ctx, named, "", "充不上电"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Second)
		// A conversation whose account is not in the users table still lists, unnamed.
		_, sent, err := svc.SendMessage(ctx, other, "", "hello")
		if err != nil {
			t.Fatal(err)
		}
		if sent.DisplayName != "" || sent.Phone != "" {
			t.Errorf("conversation of a driver without an account row: got name %q phone %q, want empty", sent.DisplayName, sent.Phone)
		}
		cs, _, err := svc.Conversations(ctx, agent, support.ConversationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		type who struct{ ID, Name, Phone string }
		var got []who
		for _, c := range cs {
			got = append(got, who{c.UserID, c.DisplayName, c.Phone})
		}
		want := []who{{other.ID, "", ""}, {named.ID, "王小明", "13800000003"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("conversations (-want +got):\n%s", diff)
		}
		c, err := svc.Conversation(ctx, agent, named.ID)
		if err != nil || c.DisplayName != "王小明" || c.Phone != "13800000003" {
			t.Errorf("one conversation: got %+v %v, want the driver's name and phone", c, err)
		}
	})
}
