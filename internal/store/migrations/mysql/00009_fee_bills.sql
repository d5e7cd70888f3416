-- +goose Up
-- Fee-only bills (a driver's reservation and no-show fees) live in bills
-- beside the session bills: kind says which. A fee bill has no session:
-- its session_id holds its reservation's id instead, so the unique
-- session_id makes at most one fee bill per reservation. Its line_items are
-- fee lines ({kind, amount_fen}); reservation_fee is their sum, in fen.
-- Refunds keep a flag for staff when one fails.
ALTER TABLE bills ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'session';
ALTER TABLE bills ADD COLUMN reservation_id VARCHAR(26) NOT NULL DEFAULT '';
ALTER TABLE bills ADD COLUMN reservation_fee BIGINT NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN flag VARCHAR(255) NOT NULL DEFAULT '';
CREATE INDEX payments_state ON payments (state, created_at);

-- +goose Down
DROP INDEX payments_state ON payments;
ALTER TABLE refunds DROP COLUMN flag;
ALTER TABLE bills DROP COLUMN reservation_fee;
ALTER TABLE bills DROP COLUMN reservation_id;
ALTER TABLE bills DROP COLUMN kind;
