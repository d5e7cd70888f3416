-- +goose Up
-- Statistics summaries (internal/stats): the bills' figures per charger and
-- local day, the sessions' transaction time per charger and UTC day of their
-- start, and session starts per site and quarter hour. Each bill adds to
-- them in the transaction that inserts it and moves its total when it is
-- adjusted (internal/store/stats_summary.go); here they are filled from the
-- bills already stored. Every stopped session has exactly one bill.
CREATE TABLE stats_charger_days (
  charger_id VARCHAR(26) NOT NULL,
  site_id VARCHAR(26) NOT NULL DEFAULT '',
  local_day INTEGER NOT NULL,
  sessions BIGINT NOT NULL DEFAULT 0,
  duration_s BIGINT NOT NULL DEFAULT 0,
  energy_wh BIGINT NOT NULL DEFAULT 0,
  energy_fee BIGINT NOT NULL DEFAULT 0,
  service_fee BIGINT NOT NULL DEFAULT 0,
  idle_fee BIGINT NOT NULL DEFAULT 0,
  idle_minutes BIGINT NOT NULL DEFAULT 0,
  total_fen BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (charger_id, local_day, site_id)
);
CREATE INDEX stats_charger_days_day ON stats_charger_days (local_day, site_id, sessions, energy_wh, total_fen);
CREATE TABLE stats_charger_busy (
  charger_id VARCHAR(26) NOT NULL,
  start_day BIGINT NOT NULL,
  sessions BIGINT NOT NULL DEFAULT 0,
  busy_ms BIGINT NOT NULL DEFAULT 0,
  max_ms BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (charger_id, start_day)
);
CREATE INDEX stats_charger_busy_day ON stats_charger_busy (start_day, charger_id, busy_ms, max_ms);
CREATE TABLE stats_site_starts (
  bucket_ms BIGINT NOT NULL,
  site_id VARCHAR(26) NOT NULL DEFAULT '',
  sessions BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket_ms, site_id)
);
INSERT INTO stats_charger_days (charger_id, site_id, local_day, sessions, duration_s, energy_wh, energy_fee, service_fee, idle_fee, idle_minutes, total_fen)
  SELECT charger_id, site_id, local_day, COUNT(*), SUM(duration_s), SUM(energy_wh), SUM(energy_fee), SUM(service_fee), SUM(idle_fee), SUM(idle_minutes), SUM(total_fen)
  FROM bills GROUP BY charger_id, site_id, local_day;
INSERT INTO stats_charger_busy (charger_id, start_day, sessions, busy_ms, max_ms)
  SELECT charger_id, started_at - started_at % 86400000, COUNT(*), SUM(stopped_at - started_at), MAX(stopped_at - started_at)
  FROM bills GROUP BY charger_id, started_at - started_at % 86400000;
INSERT INTO stats_site_starts (bucket_ms, site_id, sessions)
  SELECT started_at - started_at % 900000, site_id, COUNT(*)
  FROM bills GROUP BY started_at - started_at % 900000, site_id;

-- +goose Down
DROP TABLE stats_site_starts;
DROP TABLE stats_charger_busy;
DROP TABLE stats_charger_days;
