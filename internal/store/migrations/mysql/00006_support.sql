-- +goose Up
CREATE TABLE feedback (
  id VARCHAR(26) PRIMARY KEY,
  user_id VARCHAR(26) NOT NULL,
  category VARCHAR(32) NOT NULL,
  body TEXT NOT NULL,
  charger_id VARCHAR(26) NOT NULL DEFAULT '',
  bill_id VARCHAR(26) NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL,
  photo_count INTEGER NOT NULL DEFAULT 0,
  reply_count INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  closed_at BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX feedback_user ON feedback (user_id, id);
CREATE INDEX feedback_status ON feedback (status, id);
CREATE TABLE feedback_photos (
  id VARCHAR(26) PRIMARY KEY,
  feedback_id VARCHAR(26) NOT NULL,
  photo_no INTEGER NOT NULL,
  content_type VARCHAR(32) NOT NULL,
  size_bytes INTEGER NOT NULL,
  data LONGBLOB NOT NULL,
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX feedback_photos_feedback ON feedback_photos (feedback_id, photo_no);
CREATE TABLE feedback_replies (
  id VARCHAR(26) PRIMARY KEY,
  feedback_id VARCHAR(26) NOT NULL,
  author_id VARCHAR(26) NOT NULL,
  author_name VARCHAR(100) NOT NULL DEFAULT '',
  from_staff BOOLEAN NOT NULL DEFAULT FALSE,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX feedback_replies_feedback ON feedback_replies (feedback_id, id);
CREATE TABLE chat_conversations (
  user_id VARCHAR(26) PRIMARY KEY,
  last_message_at BIGINT NOT NULL,
  last_preview VARCHAR(200) NOT NULL DEFAULT '',
  driver_unread INTEGER NOT NULL DEFAULT 0,
  staff_unread INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX chat_conversations_last ON chat_conversations (last_message_at);
CREATE TABLE chat_messages (
  id VARCHAR(26) PRIMARY KEY,
  user_id VARCHAR(26) NOT NULL,
  sender_id VARCHAR(26) NOT NULL,
  sender_name VARCHAR(100) NOT NULL DEFAULT '',
  from_staff BOOLEAN NOT NULL DEFAULT FALSE,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX chat_messages_user ON chat_messages (user_id, id);
CREATE INDEX sessions_started_site ON sessions (started_at, site_id);
CREATE INDEX sessions_charger_started ON sessions (charger_id, started_at, stopped_at);
CREATE INDEX bills_day_totals ON bills (local_day, site_id, energy_wh, total_fen);
CREATE INDEX bills_charger_totals ON bills (charger_id, local_day, energy_wh, total_fen, idle_minutes);

-- +goose Down
DROP INDEX bills_charger_totals ON bills;
DROP INDEX bills_day_totals ON bills;
DROP INDEX sessions_charger_started ON sessions;
DROP INDEX sessions_started_site ON sessions;
DROP TABLE chat_messages;
DROP TABLE chat_conversations;
DROP TABLE feedback_replies;
DROP TABLE feedback_photos;
DROP TABLE feedback;
