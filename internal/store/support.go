package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/support"
	"github.com/jmoiron/sqlx"
)

// Support stores feedback tickets, their photos and replies, and chats.
type Support struct{ db *DB }

var _ support.Store = (*Support)(nil)

// NewSupport returns the support store.
func NewSupport(db *DB) *Support { return &Support{db: db} }

type feedbackRow struct {
	ID         string `db:"id"`
	UserID     string `db:"user_id"`
	Category   string `db:"category"`
	Body       string `db:"body"`
	ChargerID  string `db:"charger_id"`
	BillID     string `db:"bill_id"`
	Status     string `db:"status"`
	PhotoCount int    `db:"photo_count"`
	ReplyCount int    `db:"reply_count"`
	CreatedAt  int64  `db:"created_at"`
	UpdatedAt  int64  `db:"updated_at"`
	ClosedAt   int64  `db:"closed_at"`
}

const feedbackCols = `id, user_id, category, body, charger_id, bill_id, status, photo_count, reply_count, created_at, updated_at, closed_at`

func (r feedbackRow) feedback() support.Feedback {
	return support.Feedback{ID: r.ID, UserID: r.UserID, Category: r.Category, Body: r.Body, ChargerID: r.ChargerID, BillID: r.BillID, Status: r.Status,
		PhotoCount: r.PhotoCount, ReplyCount: r.ReplyCount, CreatedAt: fromMS(r.CreatedAt), UpdatedAt: fromMS(r.UpdatedAt), ClosedAt: fromMS(r.ClosedAt)}
}

// CreateFeedback inserts a ticket and its photos in one transaction.
func (s *Support) CreateFeedback(ctx context.Context, f support.Feedback, photos []support.Photo) error {
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := exec(ctx, tx, `INSERT INTO feedback (`+feedbackCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, f.ID, f.UserID, f.Category, f.Body, f.ChargerID,
			f.BillID, f.Status, f.PhotoCount, f.ReplyCount, ms(f.CreatedAt), ms(f.UpdatedAt), ms(f.ClosedAt)); err != nil {
			return err
		}
		for _, p := range photos {
			if _, err := exec(ctx, tx, `INSERT INTO feedback_photos (id, feedback_id, photo_no, content_type, size_bytes, data, created_at) VALUES (?,?,?,?,?,?,?)`,
				p.ID, f.ID, p.No, p.ContentType, p.SizeBytes, p.Data, ms(p.CreatedAt)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("insert feedback %s: %w", f.ID, err)
	}
	return nil
}

func feedbackByID(ctx context.Context, q Q, id string) (support.Feedback, error) {
	var r feedbackRow
	if err := get(ctx, q, &r, `SELECT `+feedbackCols+` FROM feedback WHERE id = ?`, id); err != nil {
		return support.Feedback{}, fmt.Errorf("feedback %s: %w", id, err)
	}
	return r.feedback(), nil
}

// Feedback returns one ticket.
func (s *Support) Feedback(ctx context.Context, id string) (support.Feedback, error) {
	return feedbackByID(ctx, s.db, id)
}

// likeEscape escapes LIKE wildcards so a search matches the text literally
// ('!' is the escape character on every engine).
func likeEscape(q string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(q)
}

// FeedbackList lists tickets newest first.
func (s *Support) FeedbackList(ctx context.Context, f support.FeedbackFilter) ([]support.Feedback, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"user_id", f.UserID}, {"status", f.Status}, {"category", f.Category}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	if f.Query != "" {
		where, args = append(where, "body LIKE ? ESCAPE '!'"), append(args, "%"+likeEscape(f.Query)+"%")
	}
	if f.Cursor != "" {
		where, args = append(where, "id < ?"), append(args, f.Cursor)
	}
	q := `SELECT ` + feedbackCols + ` FROM feedback`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	var rows []feedbackRow
	if err := sel(ctx, s.db, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("feedback list: %w", err)
	}
	out := make([]support.Feedback, len(rows))
	for i, r := range rows {
		out[i] = r.feedback()
	}
	return out, nil
}

type replyRow struct {
	ID         string `db:"id"`
	FeedbackID string `db:"feedback_id"`
	AuthorID   string `db:"author_id"`
	AuthorName string `db:"author_name"`
	FromStaff  bool   `db:"from_staff"`
	Body       string `db:"body"`
	CreatedAt  int64  `db:"created_at"`
}

// Replies lists a ticket's replies, oldest first.
func (s *Support) Replies(ctx context.Context, feedbackID string) ([]support.Reply, error) {
	var rows []replyRow
	if err := sel(ctx, s.db, &rows, `SELECT id, feedback_id, author_id, author_name, from_staff, body, created_at FROM feedback_replies WHERE feedback_id = ? ORDER BY id`, feedbackID); err != nil {
		return nil, fmt.Errorf("replies of %s: %w", feedbackID, err)
	}
	out := make([]support.Reply, len(rows))
	for i, r := range rows {
		out[i] = support.Reply{ID: r.ID, FeedbackID: r.FeedbackID, AuthorID: r.AuthorID, AuthorName: r.AuthorName, FromStaff: r.FromStaff, Body: r.Body, CreatedAt: fromMS(r.CreatedAt)}
	}
	return out, nil
}

type photoRow struct {
	ID          string `db:"id"`
	FeedbackID  string `db:"feedback_id"`
	No          int    `db:"photo_no"`
	ContentType string `db:"content_type"`
	SizeBytes   int    `db:"size_bytes"`
	Data        []byte `db:"data"`
	CreatedAt   int64  `db:"created_at"`
}

func (r photoRow) photo() support.Photo {
	return support.Photo{ID: r.ID, FeedbackID: r.FeedbackID, No: r.No, ContentType: r.ContentType, SizeBytes: r.SizeBytes, Data: r.Data, CreatedAt: fromMS(r.CreatedAt)}
}

// Photos lists a ticket's photos without their data.
func (s *Support) Photos(ctx context.Context, feedbackID string) ([]support.Photo, error) {
	var rows []photoRow
	if err := sel(ctx, s.db, &rows, `SELECT id, feedback_id, photo_no, content_type, size_bytes, created_at FROM feedback_photos WHERE feedback_id = ? ORDER BY photo_no`, feedbackID); err != nil {
		return nil, fmt.Errorf("photos of %s: %w", feedbackID, err)
	}
	out := make([]support.Photo, len(rows))
	for i, r := range rows {
		out[i] = r.photo()
	}
	return out, nil
}

// Photo returns one photo with its data.
func (s *Support) Photo(ctx context.Context, feedbackID string, no int) (support.Photo, error) {
	var r photoRow
	if err := get(ctx, s.db, &r, `SELECT id, feedback_id, photo_no, content_type, size_bytes, data, created_at FROM feedback_photos WHERE feedback_id = ? AND photo_no = ?`, feedbackID, no); err != nil {
		return support.Photo{}, fmt.Errorf("photo %d of %s: %w", no, feedbackID, err)
	}
	return r.photo(), nil
}

// AddReply inserts a reply and updates the ticket's status and count; a
// closed ticket is left alone (conflict).
func (s *Support) AddReply(ctx context.Context, r support.Reply, status string) (support.Feedback, error) {
	var f support.Feedback
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := execOne(ctx, tx, `UPDATE feedback SET status = ?, reply_count = reply_count + 1, updated_at = ? WHERE id = ? AND status <> ?`,
			status, ms(r.CreatedAt), r.FeedbackID, support.StatusClosed); err != nil {
			if apperr.Is(err, apperr.NotFound) {
				return apperr.Wrap(err, apperr.Conflict, "feedback_closed")
			}
			return err
		}
		if _, err := exec(ctx, tx, `INSERT INTO feedback_replies (id, feedback_id, author_id, author_name, from_staff, body, created_at) VALUES (?,?,?,?,?,?,?)`,
			r.ID, r.FeedbackID, r.AuthorID, r.AuthorName, r.FromStaff, r.Body, ms(r.CreatedAt)); err != nil {
			return err
		}
		var err error
		f, err = feedbackByID(ctx, tx, r.FeedbackID)
		return err
	})
	if err != nil {
		return support.Feedback{}, fmt.Errorf("add reply to %s: %w", r.FeedbackID, err)
	}
	return f, nil
}

// CloseFeedback marks a ticket closed.
func (s *Support) CloseFeedback(ctx context.Context, id string, at time.Time) (support.Feedback, error) {
	var f support.Feedback
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := execOne(ctx, tx, `UPDATE feedback SET status = ?, closed_at = ?, updated_at = ? WHERE id = ?`, support.StatusClosed, ms(at), ms(at), id); err != nil {
			return err
		}
		var err error
		f, err = feedbackByID(ctx, tx, id)
		return err
	})
	if err != nil {
		return support.Feedback{}, fmt.Errorf("close feedback %s: %w", id, err)
	}
	return f, nil
}

type conversationRow struct {
	UserID        string `db:"user_id"`
	DisplayName   string `db:"display_name"`
	Phone         string `db:"phone"`
	LastMessageAt int64  `db:"last_message_at"`
	LastPreview   string `db:"last_preview"`
	DriverUnread  int    `db:"driver_unread"`
	StaffUnread   int    `db:"staff_unread"`
	CreatedAt     int64  `db:"created_at"`
}

const conversationCols = `user_id, last_message_at, last_preview, driver_unread, staff_unread, created_at`

// conversationSelect reads conversations (alias c) with their driver's name
// and phone (alias u; empty when the account is gone).
const conversationSelect = `SELECT c.user_id, c.last_message_at, c.last_preview, c.driver_unread, c.staff_unread, c.created_at,
	COALESCE(u.display_name, '') AS display_name, COALESCE(u.phone, '') AS phone
	FROM chat_conversations c LEFT JOIN users u ON u.id = c.user_id`

func (r conversationRow) conversation() support.Conversation {
	return support.Conversation{UserID: r.UserID, DisplayName: r.DisplayName, Phone: r.Phone, LastMessageAt: fromMS(r.LastMessageAt), LastPreview: r.LastPreview, DriverUnread: r.DriverUnread,
		StaffUnread: r.StaffUnread, CreatedAt: fromMS(r.CreatedAt)}
}

func conversationOf(ctx context.Context, q Q, userID string) (support.Conversation, error) {
	var r conversationRow
	if err := get(ctx, q, &r, conversationSelect+` WHERE c.user_id = ?`, userID); err != nil {
		return support.Conversation{}, fmt.Errorf("conversation of %s: %w", userID, err)
	}
	return r.conversation(), nil
}

// AddMessage inserts a message, creating the conversation on the first one,
// and counts it unread for the side that did not send it.
func (s *Support) AddMessage(ctx context.Context, m support.Message, preview string) (support.Conversation, error) {
	unread := "staff_unread"
	if m.FromStaff {
		unread = "driver_unread"
	}
	var c support.Conversation
	try := func() error {
		return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
			if _, err := exec(ctx, tx, `INSERT INTO chat_messages (id, user_id, sender_id, sender_name, from_staff, body, created_at) VALUES (?,?,?,?,?,?,?)`,
				m.ID, m.UserID, m.SenderID, m.SenderName, m.FromStaff, m.Body, ms(m.CreatedAt)); err != nil {
				return err
			}
			err := execOne(ctx, tx, `UPDATE chat_conversations SET last_message_at = ?, last_preview = ?, `+unread+` = `+unread+` + 1 WHERE user_id = ?`,
				ms(m.CreatedAt), truncate(preview, 200), m.UserID)
			if apperr.Is(err, apperr.NotFound) {
				d, st := 0, 1
				if m.FromStaff {
					d, st = 1, 0
				}
				_, err = exec(ctx, tx, `INSERT INTO chat_conversations (`+conversationCols+`) VALUES (?,?,?,?,?,?)`, m.UserID, ms(m.CreatedAt), truncate(preview, 200), d, st, ms(m.CreatedAt))
			}
			if err != nil {
				return err
			}
			c, err = conversationOf(ctx, tx, m.UserID)
			return err
		})
	}
	err := try()
	if apperr.Is(err, apperr.Conflict) {
		// Both sides wrote the first message at once; the other created the
		// conversation, so this time the update finds it.
		err = try()
	}
	if err != nil {
		return support.Conversation{}, fmt.Errorf("add chat message: %w", err)
	}
	return c, nil
}

type messageRow struct {
	ID         string `db:"id"`
	UserID     string `db:"user_id"`
	SenderID   string `db:"sender_id"`
	SenderName string `db:"sender_name"`
	FromStaff  bool   `db:"from_staff"`
	Body       string `db:"body"`
	CreatedAt  int64  `db:"created_at"`
}

// Messages lists a conversation newest first, older than cursor.
func (s *Support) Messages(ctx context.Context, userID, cursor string, limit int) ([]support.Message, error) {
	q := `SELECT id, user_id, sender_id, sender_name, from_staff, body, created_at FROM chat_messages WHERE user_id = ?`
	args := []any{userID}
	if cursor != "" {
		q, args = q+" AND id < ?", append(args, cursor)
	}
	var rows []messageRow
	if err := sel(ctx, s.db, &rows, q+" ORDER BY id DESC LIMIT ?", append(args, limit)...); err != nil {
		return nil, fmt.Errorf("chat messages of %s: %w", userID, err)
	}
	out := make([]support.Message, len(rows))
	for i, r := range rows {
		out[i] = support.Message{ID: r.ID, UserID: r.UserID, SenderID: r.SenderID, SenderName: r.SenderName, FromStaff: r.FromStaff, Body: r.Body, CreatedAt: fromMS(r.CreatedAt)}
	}
	return out, nil
}

// Conversation returns a driver's conversation.
func (s *Support) Conversation(ctx context.Context, userID string) (support.Conversation, error) {
	return conversationOf(ctx, s.db, userID)
}

// Conversations lists conversations by last activity, newest first, after
// the cursor (afterMS = 0: from the start).
func (s *Support) Conversations(ctx context.Context, f support.ConversationFilter, afterMS int64, afterUser string) ([]support.Conversation, error) {
	var where []string
	var args []any
	if f.UnreadOnly {
		where = append(where, "c.staff_unread > 0")
	}
	if afterMS > 0 {
		where, args = append(where, "(c.last_message_at < ? OR (c.last_message_at = ? AND c.user_id < ?))"), append(args, afterMS, afterMS, afterUser)
	}
	q := conversationSelect
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	var rows []conversationRow
	if err := sel(ctx, s.db, &rows, q+" ORDER BY c.last_message_at DESC, c.user_id DESC LIMIT ?", append(args, f.Limit)...); err != nil {
		return nil, fmt.Errorf("conversations: %w", err)
	}
	out := make([]support.Conversation, len(rows))
	for i, r := range rows {
		out[i] = r.conversation()
	}
	return out, nil
}

// MarkRead zeroes one side's unread count.
func (s *Support) MarkRead(ctx context.Context, userID string, staff bool) (support.Conversation, error) {
	col := "driver_unread"
	if staff {
		col = "staff_unread"
	}
	var c support.Conversation
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := execOne(ctx, tx, `UPDATE chat_conversations SET `+col+` = 0 WHERE user_id = ?`, userID); err != nil {
			return err
		}
		var err error
		c, err = conversationOf(ctx, tx, userID)
		return err
	})
	if err != nil {
		return support.Conversation{}, fmt.Errorf("mark chat of %s read: %w", userID, err)
	}
	return c, nil
}
