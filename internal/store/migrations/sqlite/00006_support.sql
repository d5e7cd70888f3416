-- +goose Up
CREATE TABLE feedback (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  category TEXT NOT NULL,
  body TEXT NOT NULL,
  charger_id TEXT NOT NULL DEFAULT '',
  bill_id TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  photo_count INTEGER NOT NULL DEFAULT 0,
  reply_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  closed_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX feedback_user ON feedback (user_id, id);
CREATE INDEX feedback_status ON feedback (status, id);
CREATE TABLE feedback_photos (
  id TEXT PRIMARY KEY,
  feedback_id TEXT NOT NULL,
  photo_no INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  data BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX feedback_photos_feedback ON feedback_photos (feedback_id, photo_no);
CREATE TABLE feedback_replies (
  id TEXT PRIMARY KEY,
  feedback_id TEXT NOT NULL,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL DEFAULT '',
  from_staff BOOLEAN NOT NULL DEFAULT FALSE,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX feedback_replies_feedback ON feedback_replies (feedback_id, id);
CREATE TABLE chat_conversations (
  user_id TEXT PRIMARY KEY,
  last_message_at INTEGER NOT NULL,
  last_preview TEXT NOT NULL DEFAULT '',
  driver_unread INTEGER NOT NULL DEFAULT 0,
  staff_unread INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX chat_conversations_last ON chat_conversations (last_message_at);
CREATE TABLE chat_messages (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  sender_id TEXT NOT NULL,
  sender_name TEXT NOT NULL DEFAULT '',
  from_staff BOOLEAN NOT NULL DEFAULT FALSE,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX chat_messages_user ON chat_messages (user_id, id);
CREATE INDEX sessions_started_site ON sessions (started_at, site_id);
CREATE INDEX sessions_charger_started ON sessions (charger_id, started_at, stopped_at);
CREATE INDEX bills_day_totals ON bills (local_day, site_id, energy_wh, total_fen);
CREATE INDEX bills_charger_totals ON bills (charger_id, local_day, energy_wh, total_fen, idle_minutes);

-- +goose Down
DROP INDEX bills_charger_totals;
DROP INDEX bills_day_totals;
DROP INDEX sessions_charger_started;
DROP INDEX sessions_started_site;
DROP TABLE chat_messages;
DROP TABLE chat_conversations;
DROP TABLE feedback_replies;
DROP TABLE feedback_photos;
DROP TABLE feedback;
