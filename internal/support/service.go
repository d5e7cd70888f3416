package support

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
	"campuscharge/internal/ids"
)

// Publisher is where the service announces what happened.
type Publisher interface {
	Publish(e events.Event)
}

// Options tune the service; nil checks accept any link.
type Options struct {
	// CheckCharger returns an error when a linked charger does not exist.
	CheckCharger func(ctx context.Context, id string) error
	// CheckBill returns an error when the driver may not link this bill.
	CheckBill func(ctx context.Context, driver account.User, id string) error
}

// Service runs feedback and chat.
type Service struct {
	store Store
	bus   Publisher
	clock clock.Clock
	opt   Options
}

// NewService returns the support service.
func NewService(st Store, bus Publisher, clk clock.Clock, opt Options) *Service {
	return &Service{store: st, bus: bus, clock: clk, opt: opt}
}

// staff reports whether u answers support.
func staff(u account.User) bool { return u.Role.Can(account.PermSupportWrite) }

func (s *Service) publish(typ, userID string, data any) {
	if s.bus != nil {
		s.bus.Publish(events.Event{Type: typ, At: s.clock.Now(), UserID: userID, Data: data})
	}
}

// PhotoInput is one photo as the driver sends it: base64 of a JPEG, PNG,
// WebP or GIF image, optionally as a data: URL.
type PhotoInput string

// FeedbackInput is a new ticket.
type FeedbackInput struct {
	Category  string
	Body      string
	ChargerID string
	BillID    string
	Photos    []PhotoInput
}

func checkBody(field, body string) (string, error) {
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		return "", apperr.Field(field, "body_required")
	case utf8.RuneCountInString(body) > MaxBodyRunes:
		return "", apperr.Field(field, "body_too_long", MaxBodyRunes)
	}
	return body, nil
}

// decodePhoto turns a base64 photo into bytes and its sniffed image type.
func decodePhoto(field string, in PhotoInput) ([]byte, string, error) {
	raw := string(in)
	if strings.HasPrefix(raw, "data:") {
		if _, after, ok := strings.Cut(raw, ","); ok {
			raw = after
		}
	}
	if base64.StdEncoding.DecodedLen(len(raw)) > MaxPhotoBytes+3 {
		return nil, "", apperr.Field(field, "photo_too_large", MaxPhotoBytes>>20)
	}
	data, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		if data, err = base64.RawStdEncoding.DecodeString(raw); err != nil {
			return nil, "", apperr.Field(field, "bad_photo")
		}
	}
	if len(data) > MaxPhotoBytes {
		return nil, "", apperr.Field(field, "photo_too_large", MaxPhotoBytes>>20)
	}
	ct := http.DetectContentType(data)
	if !slices.Contains([]string{"image/jpeg", "image/png", "image/webp", "image/gif"}, ct) {
		return nil, "", apperr.Field(field, "bad_photo")
	}
	return data, ct, nil
}

// SubmitFeedback stores a driver's ticket with its photos.
func (s *Service) SubmitFeedback(ctx context.Context, u account.User, in FeedbackInput) (Feedback, error) {
	if !slices.Contains(Categories(), in.Category) {
		return Feedback{}, apperr.Field("body.category", "bad_category", strings.Join(Categories(), ", "))
	}
	body, err := checkBody("body.body", in.Body)
	if err != nil {
		return Feedback{}, err
	}
	if len(in.Photos) > MaxPhotos {
		return Feedback{}, apperr.Field("body.photos", "too_many_photos", MaxPhotos)
	}
	if in.ChargerID != "" && s.opt.CheckCharger != nil {
		if err := s.opt.CheckCharger(ctx, in.ChargerID); err != nil {
			return Feedback{}, fmt.Errorf("feedback charger link: %w", err)
		}
	}
	if in.BillID != "" && s.opt.CheckBill != nil {
		if err := s.opt.CheckBill(ctx, u, in.BillID); err != nil {
			return Feedback{}, fmt.Errorf("feedback bill link: %w", err)
		}
	}
	now := s.clock.Now()
	f := Feedback{ID: ids.New(), UserID: u.ID, Category: in.Category, Body: body, ChargerID: in.ChargerID, BillID: in.BillID,
		Status: StatusOpen, PhotoCount: len(in.Photos), CreatedAt: now, UpdatedAt: now}
	photos := make([]Photo, 0, len(in.Photos))
	for i, p := range in.Photos {
		data, ct, err := decodePhoto("body.photos["+strconv.Itoa(i)+"]", p)
		if err != nil {
			return Feedback{}, err
		}
		photos = append(photos, Photo{ID: ids.New(), FeedbackID: f.ID, No: i + 1, ContentType: ct, SizeBytes: len(data), Data: data, CreatedAt: now})
	}
	if err := s.store.CreateFeedback(ctx, f, photos); err != nil {
		return Feedback{}, fmt.Errorf("submit feedback: %w", err)
	}
	s.publish(EventFeedbackCreated, f.UserID, f)
	return f, nil
}

// visible returns the ticket when u may see it.
func (s *Service) visible(ctx context.Context, u account.User, id string) (Feedback, error) {
	f, err := s.store.Feedback(ctx, id)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return Feedback{}, apperr.Wrap(err, apperr.NotFound, "feedback_not_found")
		}
		return Feedback{}, fmt.Errorf("feedback %s: %w", id, err)
	}
	if f.UserID != u.ID && !staff(u) {
		return Feedback{}, apperr.New(apperr.NotFound, "feedback_not_found")
	}
	return f, nil
}

func pageLimit(n int) int {
	if n <= 0 || n > 200 {
		return 50
	}
	return n
}

// FeedbackList pages tickets newest first: support staff see everyone's,
// others their own.
func (s *Service) FeedbackList(ctx context.Context, u account.User, f FeedbackFilter) ([]Feedback, string, error) {
	if !staff(u) {
		f.UserID = u.ID
	}
	want := pageLimit(f.Limit)
	f.Limit = want + 1
	fs, err := s.store.FeedbackList(ctx, f)
	if err != nil {
		return nil, "", fmt.Errorf("list feedback: %w", err)
	}
	next := ""
	if len(fs) > want {
		fs, next = fs[:want], fs[want-1].ID
	}
	return fs, next, nil
}

// FeedbackDetail returns a ticket with its replies and photos (without data).
func (s *Service) FeedbackDetail(ctx context.Context, u account.User, id string) (Feedback, []Reply, []Photo, error) {
	f, err := s.visible(ctx, u, id)
	if err != nil {
		return Feedback{}, nil, nil, err
	}
	rs, err := s.store.Replies(ctx, id)
	if err != nil {
		return Feedback{}, nil, nil, fmt.Errorf("replies of %s: %w", id, err)
	}
	ps, err := s.store.Photos(ctx, id)
	if err != nil {
		return Feedback{}, nil, nil, fmt.Errorf("photos of %s: %w", id, err)
	}
	return f, rs, ps, nil
}

// Photo returns one photo of a ticket u may see.
func (s *Service) Photo(ctx context.Context, u account.User, feedbackID string, no int) (Photo, error) {
	if _, err := s.visible(ctx, u, feedbackID); err != nil {
		return Photo{}, err
	}
	p, err := s.store.Photo(ctx, feedbackID, no)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return Photo{}, apperr.Wrap(err, apperr.NotFound, "photo_not_found")
		}
		return Photo{}, fmt.Errorf("photo %d of %s: %w", no, feedbackID, err)
	}
	return p, nil
}

func displayName(u account.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Name
}

// Reply adds an answer: staff answers mark the ticket answered, the
// driver's follow-ups open it again. Closed tickets take no replies.
func (s *Service) Reply(ctx context.Context, u account.User, id, body string) (Feedback, Reply, error) {
	f, err := s.visible(ctx, u, id)
	if err != nil {
		return Feedback{}, Reply{}, err
	}
	if f.Status == StatusClosed {
		return Feedback{}, Reply{}, apperr.New(apperr.Conflict, "feedback_closed")
	}
	if body, err = checkBody("body.body", body); err != nil {
		return Feedback{}, Reply{}, err
	}
	// Staff answering their own ticket count as staff.
	fromStaff := staff(u)
	status := StatusOpen
	if fromStaff {
		status = StatusAnswered
	}
	r := Reply{ID: ids.New(), FeedbackID: id, AuthorID: u.ID, AuthorName: displayName(u), FromStaff: fromStaff, Body: body, CreatedAt: s.clock.Now()}
	f, err = s.store.AddReply(ctx, r, status)
	if err != nil {
		return Feedback{}, Reply{}, fmt.Errorf("reply to %s: %w", id, err)
	}
	s.publish(EventFeedbackReplied, f.UserID, ReplyEvent{Feedback: f, Reply: r})
	return f, r, nil
}

// ReplyEvent is the payload of feedback.replied.
type ReplyEvent struct {
	Feedback Feedback
	Reply    Reply
}

// Close closes a ticket (its driver or support staff).
func (s *Service) Close(ctx context.Context, u account.User, id string) (Feedback, error) {
	f, err := s.visible(ctx, u, id)
	if err != nil {
		return Feedback{}, err
	}
	if f.Status == StatusClosed {
		return f, nil
	}
	f, err = s.store.CloseFeedback(ctx, id, s.clock.Now())
	if err != nil {
		return Feedback{}, fmt.Errorf("close feedback %s: %w", id, err)
	}
	s.publish(EventFeedbackClosed, f.UserID, f)
	return f, nil
}

// chatOwner resolves whose conversation u acts on: drivers (anyone without
// support rights) always their own; support staff the driver named.
func chatOwner(u account.User, driverID string) (string, error) {
	if !staff(u) {
		return u.ID, nil
	}
	if driverID == "" || driverID == u.ID {
		return "", apperr.Field("path.user_id", "chat_needs_driver")
	}
	return driverID, nil
}

// SendMessage posts a chat message in a driver's conversation.
func (s *Service) SendMessage(ctx context.Context, u account.User, driverID, body string) (Message, Conversation, error) {
	owner, err := chatOwner(u, driverID)
	if err != nil {
		return Message{}, Conversation{}, err
	}
	if body, err = checkBody("body.body", body); err != nil {
		return Message{}, Conversation{}, err
	}
	m := Message{ID: ids.New(), UserID: owner, SenderID: u.ID, SenderName: displayName(u), FromStaff: staff(u), Body: body, CreatedAt: s.clock.Now()}
	c, err := s.store.AddMessage(ctx, m, preview(body))
	if err != nil {
		return Message{}, Conversation{}, fmt.Errorf("send chat message: %w", err)
	}
	s.publish(EventChatMessage, owner, MessageEvent{Message: m, Conversation: c})
	return m, c, nil
}

// MessageEvent is the payload of chat.message and chat.read.
type MessageEvent struct {
	// Message is empty for chat.read.
	Message      Message
	Conversation Conversation
}

func preview(body string) string {
	body = strings.Join(strings.Fields(body), " ")
	if utf8.RuneCountInString(body) <= 60 {
		return body
	}
	r := []rune(body)
	return string(r[:60]) + "…"
}

// Messages pages a conversation's history, newest first.
func (s *Service) Messages(ctx context.Context, u account.User, driverID, cursor string, limit int) ([]Message, string, error) {
	owner, err := chatOwner(u, driverID)
	if err != nil {
		return nil, "", err
	}
	want := pageLimit(limit)
	ms, err := s.store.Messages(ctx, owner, cursor, want+1)
	if err != nil {
		return nil, "", fmt.Errorf("chat messages of %s: %w", owner, err)
	}
	next := ""
	if len(ms) > want {
		ms, next = ms[:want], ms[want-1].ID
	}
	return ms, next, nil
}

// Conversation returns a driver's conversation (empty, not an error, before
// the first message).
func (s *Service) Conversation(ctx context.Context, u account.User, driverID string) (Conversation, error) {
	owner, err := chatOwner(u, driverID)
	if err != nil {
		return Conversation{}, err
	}
	c, err := s.store.Conversation(ctx, owner)
	if apperr.CodeOf(err) == apperr.NotFound {
		return Conversation{UserID: owner}, nil
	}
	if err != nil {
		return Conversation{}, fmt.Errorf("conversation of %s: %w", owner, err)
	}
	return c, nil
}

// Conversations pages every conversation, most recently active first
// (support staff only).
func (s *Service) Conversations(ctx context.Context, u account.User, f ConversationFilter) ([]Conversation, string, error) {
	if !staff(u) {
		return nil, "", apperr.New(apperr.Forbidden, "forbidden")
	}
	var afterMS int64
	var afterUser string
	if f.Cursor != "" {
		a, b, ok := strings.Cut(f.Cursor, "_")
		n, err := strconv.ParseInt(a, 10, 64)
		if !ok || err != nil {
			return nil, "", apperr.Field("query.cursor", "bad_cursor")
		}
		afterMS, afterUser = n, b
	}
	want := pageLimit(f.Limit)
	f.Limit = want + 1
	cs, err := s.store.Conversations(ctx, f, afterMS, afterUser)
	if err != nil {
		return nil, "", fmt.Errorf("conversations: %w", err)
	}
	next := ""
	if len(cs) > want {
		cs = cs[:want]
		last := cs[want-1]
		next = strconv.FormatInt(last.LastMessageAt.UnixMilli(), 10) + "_" + last.UserID
	}
	return cs, next, nil
}

// MarkRead marks the conversation read for u's side.
func (s *Service) MarkRead(ctx context.Context, u account.User, driverID string) (Conversation, error) {
	owner, err := chatOwner(u, driverID)
	if err != nil {
		return Conversation{}, err
	}
	c, err := s.store.MarkRead(ctx, owner, staff(u))
	if apperr.CodeOf(err) == apperr.NotFound {
		return Conversation{UserID: owner}, nil
	}
	if err != nil {
		return Conversation{}, fmt.Errorf("mark chat of %s read: %w", owner, err)
	}
	s.publish(EventChatRead, owner, MessageEvent{Conversation: c})
	return c, nil
}
