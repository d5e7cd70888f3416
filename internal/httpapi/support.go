package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/support"
	"github.com/danielgtaylor/huma/v2"
)

// FeedbackView is a feedback ticket as the API shows it.
type FeedbackView struct {
	ID         string    `json:"id"`
	UserID     string    `json:"user_id"`
	Category   string    `json:"category" enum:"charger_fault,billing,suggestion,other"`
	Body       string    `json:"body"`
	ChargerID  string    `json:"charger_id"`
	BillID     string    `json:"bill_id"`
	Status     string    `json:"status" enum:"open,answered,closed"`
	PhotoCount int       `json:"photo_count"`
	ReplyCount int       `json:"reply_count"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	ClosedAt   time.Time `json:"closed_at"`
}

func viewFeedback(f support.Feedback) FeedbackView {
	return FeedbackView{ID: f.ID, UserID: f.UserID, Category: f.Category, Body: f.Body, ChargerID: f.ChargerID, BillID: f.BillID, Status: f.Status,
		PhotoCount: f.PhotoCount, ReplyCount: f.ReplyCount, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt, ClosedAt: f.ClosedAt}
}

// ReplyView is one answer on a feedback thread.
type ReplyView struct {
	ID         string    `json:"id"`
	AuthorID   string    `json:"author_id"`
	AuthorName string    `json:"author_name"`
	FromStaff  bool      `json:"from_staff"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
}

func viewReply(r support.Reply) ReplyView {
	return ReplyView{ID: r.ID, AuthorID: r.AuthorID, AuthorName: r.AuthorName, FromStaff: r.FromStaff, Body: r.Body, CreatedAt: r.CreatedAt}
}

// PhotoView describes a photo; its image is at URL.
type PhotoView struct {
	No          int    `json:"no"`
	ContentType string `json:"content_type"`
	SizeBytes   int    `json:"size_bytes"`
	URL         string `json:"url" doc:"GET it with the same credentials"`
}

// ConversationView is a driver's support chat.
type ConversationView struct {
	UserID        string    `json:"user_id"`
	DisplayName   string    `json:"display_name" doc:"The driver's name, empty when not set"`
	Phone         string    `json:"phone" doc:"The driver's phone number, empty when not set"`
	LastMessageAt time.Time `json:"last_message_at"`
	LastPreview   string    `json:"last_preview"`
	DriverUnread  int       `json:"driver_unread" doc:"Support messages the driver has not read"`
	StaffUnread   int       `json:"staff_unread" doc:"Driver messages support has not read"`
}

func viewConversation(c support.Conversation) ConversationView {
	return ConversationView{UserID: c.UserID, DisplayName: c.DisplayName, Phone: c.Phone, LastMessageAt: c.LastMessageAt, LastPreview: c.LastPreview, DriverUnread: c.DriverUnread, StaffUnread: c.StaffUnread}
}

// MessageView is one chat message.
type MessageView struct {
	ID         string    `json:"id"`
	UserID     string    `json:"user_id" doc:"The driver whose conversation it is"`
	SenderID   string    `json:"sender_id"`
	SenderName string    `json:"sender_name"`
	FromStaff  bool      `json:"from_staff"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
}

func viewMessage(m support.Message) MessageView {
	return MessageView{ID: m.ID, UserID: m.UserID, SenderID: m.SenderID, SenderName: m.SenderName, FromStaff: m.FromStaff, Body: m.Body, CreatedAt: m.CreatedAt}
}

// viewSupportEvent shapes the support service's event payloads.
func viewSupportEvent(data any) (any, bool) {
	switch x := data.(type) {
	case support.Feedback:
		return viewFeedback(x), true
	case support.ReplyEvent:
		return map[string]any{"feedback": viewFeedback(x.Feedback), "reply": viewReply(x.Reply)}, true
	case support.MessageEvent:
		out := map[string]any{"conversation": viewConversation(x.Conversation)}
		if x.Message.ID != "" {
			out["message"] = viewMessage(x.Message)
		}
		return out, true
	}
	return nil, false
}

type feedbackDetail struct {
	Body struct {
		Feedback FeedbackView `json:"feedback"`
		Replies  []ReplyView  `json:"replies"`
		Photos   []PhotoView  `json:"photos"`
	}
}

// UserIDParam is the {user_id} path parameter.
type UserIDParam struct {
	UserID string `path:"user_id" maxLength:"26"`
}

// TextBody is a request carrying one text, up to 2000 characters.
type TextBody struct {
	Body struct {
		Body string `json:"body" minLength:"1" maxLength:"8000" doc:"At most 2000 characters"`
	}
}

func (s *Server) feedbackDetail(ctx context.Context, id string) (*feedbackDetail, error) {
	f, rs, ps, err := s.deps.Support.FeedbackDetail(ctx, currentUser(ctx), id)
	if err != nil {
		return nil, err
	}
	out := &feedbackDetail{}
	out.Body.Feedback, out.Body.Replies, out.Body.Photos = viewFeedback(f), []ReplyView{}, []PhotoView{}
	for _, r := range rs {
		out.Body.Replies = append(out.Body.Replies, viewReply(r))
	}
	for _, p := range ps {
		out.Body.Photos = append(out.Body.Photos, PhotoView{No: p.No, ContentType: p.ContentType, SizeBytes: p.SizeBytes,
			URL: "/api/v1/feedback/" + f.ID + "/photos/" + strconv.Itoa(p.No)})
	}
	return out, nil
}

func (s *Server) registerSupport() {
	tags := []string{"support"}
	type feedbackCreateIn struct {
		Body struct {
			Category  string   `json:"category" enum:"charger_fault,billing,suggestion,other"`
			Body      string   `json:"body" minLength:"1" maxLength:"8000" doc:"At most 2000 characters"`
			ChargerID string   `json:"charger_id,omitempty" maxLength:"26"`
			BillID    string   `json:"bill_id,omitempty" maxLength:"26"`
			Photos    []string `json:"photos,omitempty" maxItems:"3" doc:"Up to 3 base64 JPEG/PNG/WebP/GIF images (or data: URLs), each at most 2 MB decoded"`
		}
	}
	register(s, huma.Operation{OperationID: "feedback-create", Method: http.MethodPost, Path: "/feedback", Summary: "Send feedback (with up to 3 photos)", Tags: tags,
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 9 << 20}, account.PermSelf,
		func(ctx context.Context, in *feedbackCreateIn) (*feedbackDetail, error) {
			photos := make([]support.PhotoInput, len(in.Body.Photos))
			for i, p := range in.Body.Photos {
				photos[i] = support.PhotoInput(p)
			}
			f, err := s.deps.Support.SubmitFeedback(ctx, currentUser(ctx), support.FeedbackInput{Category: in.Body.Category, Body: in.Body.Body,
				ChargerID: in.Body.ChargerID, BillID: in.Body.BillID, Photos: photos})
			if err != nil {
				return nil, err
			}
			return s.feedbackDetail(ctx, f.ID)
		})
	type feedbackListIn struct {
		PageParams
		Status   string `query:"status" enum:"open,answered,closed,"`
		Category string `query:"category" enum:"charger_fault,billing,suggestion,other,"`
		Q        string `query:"q" maxLength:"100" doc:"Text to find in the feedback"`
		UserID   string `query:"user_id" maxLength:"26" doc:"Support staff only"`
	}
	register(s, huma.Operation{OperationID: "feedback-list", Method: http.MethodGet, Path: "/feedback", Summary: "Feedback, newest first (drivers: their own; support: everyone's)", Tags: tags}, account.PermSelf,
		func(ctx context.Context, in *feedbackListIn) (*struct{ Body Page[FeedbackView] }, error) {
			fs, next, err := s.deps.Support.FeedbackList(ctx, currentUser(ctx), support.FeedbackFilter{UserID: in.UserID, Status: in.Status, Category: in.Category,
				Query: in.Q, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			out := &struct{ Body Page[FeedbackView] }{}
			out.Body.Items, out.Body.NextCursor = make([]FeedbackView, len(fs)), next
			for i, f := range fs {
				out.Body.Items[i] = viewFeedback(f)
			}
			return out, nil
		})
	register(s, huma.Operation{OperationID: "feedback-get", Method: http.MethodGet, Path: "/feedback/{id}", Summary: "One feedback with its replies and photos", Tags: tags}, account.PermSelf,
		func(ctx context.Context, in *IDParam) (*feedbackDetail, error) { return s.feedbackDetail(ctx, in.ID) })
	type feedbackPhotoIn struct {
		IDParam
		No int `path:"no" minimum:"1" maximum:"3"`
	}
	type feedbackPhotoOut struct {
		ContentType  string `header:"Content-Type"`
		CacheControl string `header:"Cache-Control"`
		Body         []byte
	}
	register(s, huma.Operation{OperationID: "feedback-photo", Method: http.MethodGet, Path: "/feedback/{id}/photos/{no}", Summary: "A feedback photo", Tags: tags}, account.PermSelf,
		func(ctx context.Context, in *feedbackPhotoIn) (*feedbackPhotoOut, error) {
			p, err := s.deps.Support.Photo(ctx, currentUser(ctx), in.ID, in.No)
			if err != nil {
				return nil, err
			}
			return &feedbackPhotoOut{ContentType: p.ContentType, CacheControl: "private, max-age=86400", Body: p.Data}, nil
		})
	register(s, huma.Operation{OperationID: "feedback-reply", Method: http.MethodPost, Path: "/feedback/{id}/replies", Summary: "Reply (support) or follow up (the driver)", Tags: tags}, account.PermSelf,
		func(ctx context.Context, in *struct {
			IDParam
			TextBody
		}) (*feedbackDetail, error) {
			if _, _, err := s.deps.Support.Reply(ctx, currentUser(ctx), in.ID, in.Body.Body); err != nil {
				return nil, err
			}
			return s.feedbackDetail(ctx, in.ID)
		})
	register(s, huma.Operation{OperationID: "feedback-close", Method: http.MethodPost, Path: "/feedback/{id}/close", Summary: "Close feedback (its driver or support)", Tags: tags}, account.PermSelf,
		func(ctx context.Context, in *IDParam) (*feedbackDetail, error) {
			if _, err := s.deps.Support.Close(ctx, currentUser(ctx), in.ID); err != nil {
				return nil, err
			}
			return s.feedbackDetail(ctx, in.ID)
		})
	s.registerChat()
}

type conversationOut struct{ Body ConversationView }

type messageOut struct {
	Body struct {
		Message      MessageView      `json:"message"`
		Conversation ConversationView `json:"conversation"`
	}
}

func (s *Server) registerChat() {
	tags := []string{"support"}
	messages := func(ctx context.Context, driverID string, p PageParams) (*struct{ Body Page[MessageView] }, error) {
		ms, next, err := s.deps.Support.Messages(ctx, currentUser(ctx), driverID, p.Cursor, p.Limit)
		if err != nil {
			return nil, err
		}
		out := &struct{ Body Page[MessageView] }{}
		out.Body.Items, out.Body.NextCursor = make([]MessageView, len(ms)), next
		for i, m := range ms {
			out.Body.Items[i] = viewMessage(m)
		}
		return out, nil
	}
	send := func(ctx context.Context, driverID, body string) (*messageOut, error) {
		m, c, err := s.deps.Support.SendMessage(ctx, currentUser(ctx), driverID, body)
		if err != nil {
			return nil, err
		}
		out := &messageOut{}
		out.Body.Message, out.Body.Conversation = viewMessage(m), viewConversation(c)
		return out, nil
	}
	conv := func(c support.Conversation, err error) (*conversationOut, error) {
		if err != nil {
			return nil, err
		}
		return &conversationOut{Body: viewConversation(c)}, nil
	}
	// The driver's own conversation.
	register(s, huma.Operation{OperationID: "chat-get", Method: http.MethodGet, Path: "/chat", Summary: "My support conversation and its unread count", Tags: tags}, account.PermSelf,
		func(ctx context.Context, _ *struct{}) (*conversationOut, error) {
			return conv(s.deps.Support.Conversation(ctx, currentUser(ctx), ""))
		})
	register(s, huma.Operation{OperationID: "chat-messages", Method: http.MethodGet, Path: "/chat/messages", Summary: "My chat history, newest first", Tags: tags}, account.PermSelf,
		func(ctx context.Context, in *PageParams) (*struct{ Body Page[MessageView] }, error) {
			return messages(ctx, "", *in)
		})
	register(s, huma.Operation{OperationID: "chat-send", Method: http.MethodPost, Path: "/chat/messages", Summary: "Write to support", Tags: tags, DefaultStatus: http.StatusCreated}, account.PermSelf,
		func(ctx context.Context, in *TextBody) (*messageOut, error) { return send(ctx, "", in.Body.Body) })
	register(s, huma.Operation{OperationID: "chat-read", Method: http.MethodPost, Path: "/chat/read", Summary: "Mark support's messages read", Tags: tags}, account.PermSelf,
		func(ctx context.Context, _ *struct{}) (*conversationOut, error) {
			return conv(s.deps.Support.MarkRead(ctx, currentUser(ctx), ""))
		})
	// Support's side: every conversation.
	type chatListIn struct {
		PageParams
		Unread bool `query:"unread" doc:"Only conversations with unread driver messages"`
	}
	register(s, huma.Operation{OperationID: "chats-list", Method: http.MethodGet, Path: "/chats", Summary: "Support conversations, most recent first", Tags: tags}, account.PermSupportWrite,
		func(ctx context.Context, in *chatListIn) (*struct{ Body Page[ConversationView] }, error) {
			cs, next, err := s.deps.Support.Conversations(ctx, currentUser(ctx), support.ConversationFilter{UnreadOnly: in.Unread, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			out := &struct{ Body Page[ConversationView] }{}
			out.Body.Items, out.Body.NextCursor = make([]ConversationView, len(cs)), next
			for i, c := range cs {
				out.Body.Items[i] = viewConversation(c)
			}
			return out, nil
		})
	register(s, huma.Operation{OperationID: "chats-messages", Method: http.MethodGet, Path: "/chats/{user_id}/messages", Summary: "A driver's chat history, newest first", Tags: tags}, account.PermSupportWrite,
		func(ctx context.Context, in *struct {
			UserIDParam
			PageParams
		}) (*struct{ Body Page[MessageView] }, error) {
			return messages(ctx, in.UserID, in.PageParams)
		})
	register(s, huma.Operation{OperationID: "chats-send", Method: http.MethodPost, Path: "/chats/{user_id}/messages", Summary: "Answer a driver", Tags: tags, DefaultStatus: http.StatusCreated}, account.PermSupportWrite,
		func(ctx context.Context, in *struct {
			UserIDParam
			TextBody
		}) (*messageOut, error) {
			return send(ctx, in.UserID, in.Body.Body)
		})
	register(s, huma.Operation{OperationID: "chats-read", Method: http.MethodPost, Path: "/chats/{user_id}/read", Summary: "Mark a driver's messages read", Tags: tags}, account.PermSupportWrite,
		func(ctx context.Context, in *UserIDParam) (*conversationOut, error) {
			return conv(s.deps.Support.MarkRead(ctx, currentUser(ctx), in.UserID))
		})
}
