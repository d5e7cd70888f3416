package support

import (
	"context"
	"time"
)

// Feedback categories.
const (
	CategoryChargerFault = "charger_fault"
	CategoryBilling      = "billing"
	CategorySuggestion   = "suggestion"
	CategoryOther        = "other"
)

// Categories lists every feedback category.
func Categories() []string {
	return []string{CategoryChargerFault, CategoryBilling, CategorySuggestion, CategoryOther}
}

// Feedback states.
const (
	StatusOpen     = "open"     // waiting for staff
	StatusAnswered = "answered" // staff replied last
	StatusClosed   = "closed"   // done; no more replies
)

// Event types published on the bus.
const (
	EventFeedbackCreated = "feedback.created"
	EventFeedbackReplied = "feedback.replied"
	EventFeedbackClosed  = "feedback.closed"
	EventChatMessage     = "chat.message"
	EventChatRead        = "chat.read"
)

// IsEvent reports whether an event type is one of this package's, which
// support staff receive live.
func IsEvent(typ string) bool {
	switch typ {
	case EventFeedbackCreated, EventFeedbackReplied, EventFeedbackClosed, EventChatMessage, EventChatRead:
		return true
	}
	return false
}

// Limits on what drivers send.
const (
	// MaxBodyRunes is the longest feedback, reply or chat text, in characters.
	MaxBodyRunes = 2000
	// MaxPhotos is how many photos one feedback may carry.
	MaxPhotos = 3
	// MaxPhotoBytes is the largest photo, in bytes (decoded).
	MaxPhotoBytes = 2 << 20
)

// Feedback is one ticket a driver sent.
type Feedback struct {
	ID     string
	UserID string
	// Category is one of Categories().
	Category string
	Body     string
	// ChargerID and BillID optionally link the ticket; empty when not given.
	ChargerID string
	BillID    string
	// Status is StatusOpen, StatusAnswered or StatusClosed.
	Status     string
	PhotoCount int
	ReplyCount int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// ClosedAt is zero until closed.
	ClosedAt time.Time
}

// Photo is an image attached to feedback.
type Photo struct {
	ID         string
	FeedbackID string
	// No numbers the photos of one feedback from 1.
	No          int
	ContentType string
	// SizeBytes is the image's size, in bytes.
	SizeBytes int
	// Data is the image; empty when listed without contents.
	Data      []byte
	CreatedAt time.Time
}

// Reply is one answer on a feedback thread, by staff or the driver.
type Reply struct {
	ID         string
	FeedbackID string
	AuthorID   string
	AuthorName string
	FromStaff  bool
	Body       string
	CreatedAt  time.Time
}

// Conversation is a driver's chat with support.
type Conversation struct {
	// UserID is the driver; one conversation each.
	UserID string
	// DisplayName and Phone name the driver (from their account; empty when unknown).
	DisplayName   string
	Phone         string
	LastMessageAt time.Time
	// LastPreview is the start of the newest message.
	LastPreview string
	// DriverUnread counts staff messages the driver has not read.
	DriverUnread int
	// StaffUnread counts driver messages support has not read.
	StaffUnread int
	CreatedAt   time.Time
}

// Message is one chat message.
type Message struct {
	ID string
	// UserID is the driver whose conversation this is.
	UserID     string
	SenderID   string
	SenderName string
	FromStaff  bool
	Body       string
	CreatedAt  time.Time
}

// FeedbackFilter selects feedback; empty fields match everything.
type FeedbackFilter struct {
	UserID   string
	Status   string
	Category string
	// Query matches text inside the body.
	Query string
	// Limit is the page size; Cursor the last ID of the previous page.
	Limit  int
	Cursor string
}

// ConversationFilter pages conversations, most recently active first.
type ConversationFilter struct {
	// UnreadOnly keeps conversations with driver messages support has not read.
	UnreadOnly bool
	Limit      int
	// Cursor is the previous page's last conversation, as returned by the service.
	Cursor string
}

// Store is the storage the service needs.
type Store interface {
	CreateFeedback(ctx context.Context, f Feedback, photos []Photo) error
	Feedback(ctx context.Context, id string) (Feedback, error)
	FeedbackList(ctx context.Context, f FeedbackFilter) ([]Feedback, error)
	// Replies lists a ticket's replies, oldest first.
	Replies(ctx context.Context, feedbackID string) ([]Reply, error)
	// Photos lists a ticket's photos without their data.
	Photos(ctx context.Context, feedbackID string) ([]Photo, error)
	Photo(ctx context.Context, feedbackID string, no int) (Photo, error)
	// AddReply inserts r and sets the ticket's status and reply count.
	AddReply(ctx context.Context, r Reply, status string) (Feedback, error)
	// CloseFeedback marks a ticket closed at the given time.
	CloseFeedback(ctx context.Context, id string, at time.Time) (Feedback, error)
	// AddMessage inserts m, creating the conversation if needed, and counts it
	// unread for the other side.
	AddMessage(ctx context.Context, m Message, preview string) (Conversation, error)
	// Messages lists a conversation newest first, older than the cursor id.
	Messages(ctx context.Context, userID, cursor string, limit int) ([]Message, error)
	Conversation(ctx context.Context, userID string) (Conversation, error)
	// Conversations lists conversations by last activity, newest first,
	// after the cursor (last_message_at ms and user id).
	Conversations(ctx context.Context, f ConversationFilter, afterMS int64, afterUser string) ([]Conversation, error)
	// MarkRead zeroes one side's unread count.
	MarkRead(ctx context.Context, userID string, staff bool) (Conversation, error)
}
