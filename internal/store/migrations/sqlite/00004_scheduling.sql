-- +goose Up
-- Scheduling settings and the dispatch state (JSON) of each site.
CREATE TABLE scheduling_sites (
  site_id TEXT PRIMARY KEY,
  waiting_capacity INTEGER NOT NULL,
  queue_length INTEGER NOT NULL,
  strategy TEXT NOT NULL,
  batch_mode TEXT NOT NULL DEFAULT '',
  hold_window_s INTEGER NOT NULL,
  no_show_grace_s INTEGER NOT NULL,
  max_no_shows_per_month INTEGER NOT NULL,
  power_limit_w INTEGER NOT NULL DEFAULT 0,
  load_policy TEXT NOT NULL,
  state TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Reservations of a connector: a driver's own (kind direct) and the holds
-- of called queue tickets (kind queue). ocpp_id is the reservationId sent
-- in ReserveNow.
INSERT INTO counters (name, value) VALUES ('reservation', 0);
CREATE TABLE reservations (
  id TEXT PRIMARY KEY,
  ocpp_id INTEGER NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  site_id TEXT NOT NULL DEFAULT '',
  charger_id TEXT NOT NULL,
  connector_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ticket_id TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  at_charger BOOLEAN NOT NULL DEFAULT FALSE,
  reserved_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  no_show_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL DEFAULT 0,
  session_id TEXT NOT NULL DEFAULT '',
  fee_fen INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX reservations_user ON reservations (user_id, reserved_at);
CREATE INDEX reservations_status ON reservations (status, charger_id, connector_id);

-- +goose Down
DROP TABLE reservations;
DELETE FROM counters WHERE name = 'reservation';
DROP TABLE scheduling_sites;
