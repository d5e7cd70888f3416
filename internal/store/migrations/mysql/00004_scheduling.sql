-- +goose Up
-- Scheduling settings and the dispatch state (JSON) of each site.
CREATE TABLE scheduling_sites (
  site_id VARCHAR(26) PRIMARY KEY,
  waiting_capacity INTEGER NOT NULL,
  queue_length INTEGER NOT NULL,
  strategy VARCHAR(16) NOT NULL,
  batch_mode VARCHAR(16) NOT NULL DEFAULT '',
  hold_window_s INTEGER NOT NULL,
  no_show_grace_s INTEGER NOT NULL,
  max_no_shows_per_month INTEGER NOT NULL,
  power_limit_w BIGINT NOT NULL DEFAULT 0,
  load_policy VARCHAR(16) NOT NULL,
  state MEDIUMTEXT NOT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- Reservations of a connector: a driver's own (kind direct) and the holds
-- of called queue tickets (kind queue). ocpp_id is the reservationId sent
-- in ReserveNow.
INSERT INTO counters (name, value) VALUES ('reservation', 0);
CREATE TABLE reservations (
  id VARCHAR(26) PRIMARY KEY,
  ocpp_id BIGINT NOT NULL UNIQUE,
  user_id VARCHAR(26) NOT NULL,
  site_id VARCHAR(26) NOT NULL DEFAULT '',
  charger_id VARCHAR(26) NOT NULL,
  connector_id INTEGER NOT NULL,
  kind VARCHAR(16) NOT NULL,
  ticket_id VARCHAR(26) NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL,
  at_charger BOOLEAN NOT NULL DEFAULT FALSE,
  reserved_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  no_show_at BIGINT NOT NULL,
  ended_at BIGINT NOT NULL DEFAULT 0,
  session_id VARCHAR(26) NOT NULL DEFAULT '',
  fee_fen BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX reservations_user ON reservations (user_id, reserved_at);
CREATE INDEX reservations_status ON reservations (status, charger_id, connector_id);

-- +goose Down
DROP TABLE reservations;
DELETE FROM counters WHERE name = 'reservation';
DROP TABLE scheduling_sites;
