-- +goose Up
ALTER TABLE sites ADD COLUMN heartbeat_s INTEGER NOT NULL DEFAULT 300;
ALTER TABLE sites ADD COLUMN offline_factor INTEGER NOT NULL DEFAULT 3;
CREATE TABLE chargers (
  id TEXT PRIMARY KEY,
  cp_id TEXT NOT NULL UNIQUE,
  site_id TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  lat REAL NOT NULL DEFAULT 0,
  lng REAL NOT NULL DEFAULT 0,
  kind TEXT NOT NULL,
  max_power_w INTEGER NOT NULL,
  tariff_id TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  lenient BOOLEAN NOT NULL DEFAULT FALSE,
  state TEXT NOT NULL,
  vendor TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL DEFAULT '',
  serial TEXT NOT NULL DEFAULT '',
  firmware TEXT NOT NULL DEFAULT '',
  firmware_status TEXT NOT NULL DEFAULT '',
  diagnostics_status TEXT NOT NULL DEFAULT '',
  online BOOLEAN NOT NULL DEFAULT FALSE,
  last_seen_at INTEGER NOT NULL DEFAULT 0,
  booted_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX chargers_site ON chargers (site_id);
CREATE TABLE connectors (
  charger_id TEXT NOT NULL,
  connector_id INTEGER NOT NULL,
  type TEXT NOT NULL DEFAULT '',
  max_power_w INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'Unavailable',
  error_code TEXT NOT NULL DEFAULT 'NoError',
  vendor_error TEXT NOT NULL DEFAULT '',
  info TEXT NOT NULL DEFAULT '',
  status_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (charger_id, connector_id)
);
CREATE TABLE id_tags (
  tag TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  revoked_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX id_tags_user ON id_tags (user_id);
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('transaction', 0);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  transaction_id INTEGER NOT NULL UNIQUE,
  charger_id TEXT NOT NULL,
  site_id TEXT NOT NULL DEFAULT '',
  connector_id INTEGER NOT NULL,
  user_id TEXT NOT NULL DEFAULT '',
  id_tag TEXT NOT NULL DEFAULT '',
  reservation_id INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  stopped_at INTEGER NOT NULL DEFAULT 0,
  meter_start INTEGER NOT NULL,
  meter_stop INTEGER NOT NULL DEFAULT 0,
  energy_wh INTEGER NOT NULL DEFAULT 0,
  power_w INTEGER NOT NULL DEFAULT 0,
  soc INTEGER NOT NULL DEFAULT -1,
  limit_wh INTEGER NOT NULL DEFAULT 0,
  limit_fen INTEGER NOT NULL DEFAULT 0,
  last_meter_at INTEGER NOT NULL DEFAULT 0,
  stop_reason TEXT NOT NULL DEFAULT '',
  auth_status TEXT NOT NULL DEFAULT '',
  flag TEXT NOT NULL DEFAULT '',
  start_key TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX sessions_charger ON sessions (charger_id, connector_id, status);
CREATE INDEX sessions_user ON sessions (user_id, started_at);
CREATE INDEX sessions_status ON sessions (status, last_meter_at);
CREATE INDEX sessions_started ON sessions (started_at);
CREATE TABLE meter_samples (
  session_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  energy_wh INTEGER,
  power_w INTEGER,
  current_ma INTEGER,
  voltage_mv INTEGER,
  soc INTEGER,
  signed_data TEXT,
  PRIMARY KEY (session_id, at)
);

-- +goose Down
DROP TABLE meter_samples;
DROP TABLE sessions;
DROP TABLE counters;
DROP TABLE id_tags;
DROP TABLE connectors;
DROP TABLE chargers;
ALTER TABLE sites DROP COLUMN offline_factor;
ALTER TABLE sites DROP COLUMN heartbeat_s;
