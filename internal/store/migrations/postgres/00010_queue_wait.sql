-- +goose Up
-- When a called queue ticket had joined the queue (epoch ms; 0 for direct
-- reservations and for queue holds made before this column existed), so the
-- statistics can average the wait from joining to the first call.
ALTER TABLE reservations ADD COLUMN queued_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX reservations_queue_wait ON reservations (kind, reserved_at, ticket_id, queued_at);

-- +goose Down
DROP INDEX reservations_queue_wait;
ALTER TABLE reservations DROP COLUMN queued_at;
