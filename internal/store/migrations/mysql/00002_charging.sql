-- +goose Up
ALTER TABLE sites ADD COLUMN heartbeat_s INTEGER NOT NULL DEFAULT 300;
ALTER TABLE sites ADD COLUMN offline_factor INTEGER NOT NULL DEFAULT 3;
CREATE TABLE chargers (
  id VARCHAR(26) PRIMARY KEY,
  cp_id VARCHAR(64) NOT NULL UNIQUE,
  site_id VARCHAR(26) NOT NULL DEFAULT '',
  name VARCHAR(100) NOT NULL,
  location VARCHAR(255) NOT NULL DEFAULT '',
  lat DOUBLE NOT NULL DEFAULT 0,
  lng DOUBLE NOT NULL DEFAULT 0,
  kind VARCHAR(32) NOT NULL,
  max_power_w INTEGER NOT NULL,
  tariff_id VARCHAR(64) NOT NULL DEFAULT '',
  password_hash VARCHAR(255) NOT NULL DEFAULT '',
  lenient BOOLEAN NOT NULL DEFAULT FALSE,
  state VARCHAR(32) NOT NULL,
  vendor VARCHAR(64) NOT NULL DEFAULT '',
  model VARCHAR(64) NOT NULL DEFAULT '',
  serial VARCHAR(64) NOT NULL DEFAULT '',
  firmware VARCHAR(64) NOT NULL DEFAULT '',
  firmware_status VARCHAR(32) NOT NULL DEFAULT '',
  diagnostics_status VARCHAR(32) NOT NULL DEFAULT '',
  online BOOLEAN NOT NULL DEFAULT FALSE,
  last_seen_at BIGINT NOT NULL DEFAULT 0,
  booted_at BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX chargers_site ON chargers (site_id);
CREATE TABLE connectors (
  charger_id VARCHAR(26) NOT NULL,
  connector_id INTEGER NOT NULL,
  type VARCHAR(32) NOT NULL DEFAULT '',
  max_power_w INTEGER NOT NULL DEFAULT 0,
  status VARCHAR(32) NOT NULL DEFAULT 'Unavailable',
  error_code VARCHAR(32) NOT NULL DEFAULT 'NoError',
  vendor_error VARCHAR(64) NOT NULL DEFAULT '',
  info VARCHAR(64) NOT NULL DEFAULT '',
  status_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (charger_id, connector_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE id_tags (
  tag VARCHAR(32) PRIMARY KEY,
  user_id VARCHAR(26) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  label VARCHAR(100) NOT NULL DEFAULT '',
  revoked_at BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX id_tags_user ON id_tags (user_id);
CREATE TABLE counters (
  name VARCHAR(32) PRIMARY KEY,
  value BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO counters (name, value) VALUES ('transaction', 0);
CREATE TABLE sessions (
  id VARCHAR(26) PRIMARY KEY,
  transaction_id BIGINT NOT NULL UNIQUE,
  charger_id VARCHAR(26) NOT NULL,
  site_id VARCHAR(26) NOT NULL DEFAULT '',
  connector_id INTEGER NOT NULL,
  user_id VARCHAR(26) NOT NULL DEFAULT '',
  id_tag VARCHAR(32) NOT NULL DEFAULT '',
  reservation_id BIGINT NOT NULL DEFAULT 0,
  status VARCHAR(32) NOT NULL,
  started_at BIGINT NOT NULL,
  stopped_at BIGINT NOT NULL DEFAULT 0,
  meter_start BIGINT NOT NULL,
  meter_stop BIGINT NOT NULL DEFAULT 0,
  energy_wh BIGINT NOT NULL DEFAULT 0,
  power_w INTEGER NOT NULL DEFAULT 0,
  soc INTEGER NOT NULL DEFAULT -1,
  limit_wh BIGINT NOT NULL DEFAULT 0,
  limit_fen BIGINT NOT NULL DEFAULT 0,
  last_meter_at BIGINT NOT NULL DEFAULT 0,
  stop_reason VARCHAR(32) NOT NULL DEFAULT '',
  auth_status VARCHAR(32) NOT NULL DEFAULT '',
  flag VARCHAR(255) NOT NULL DEFAULT '',
  start_key VARCHAR(100) NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX sessions_charger ON sessions (charger_id, connector_id, status);
CREATE INDEX sessions_user ON sessions (user_id, started_at);
CREATE INDEX sessions_status ON sessions (status, last_meter_at);
CREATE INDEX sessions_started ON sessions (started_at);
CREATE TABLE meter_samples (
  session_id VARCHAR(26) NOT NULL,
  at BIGINT NOT NULL,
  energy_wh BIGINT,
  power_w INTEGER,
  current_ma INTEGER,
  voltage_mv INTEGER,
  soc INTEGER,
  signed_data MEDIUMTEXT,
  PRIMARY KEY (session_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE meter_samples;
DROP TABLE sessions;
DROP TABLE counters;
DROP TABLE id_tags;
DROP TABLE connectors;
DROP TABLE chargers;
ALTER TABLE sites DROP COLUMN offline_factor;
ALTER TABLE sites DROP COLUMN heartbeat_s;
