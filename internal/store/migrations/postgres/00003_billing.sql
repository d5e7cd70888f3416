-- +goose Up
CREATE TABLE tariffs (
  id VARCHAR(26) PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  site_id VARCHAR(26) NOT NULL DEFAULT '',
  is_default BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL
);
CREATE TABLE tariff_versions (
  id VARCHAR(26) PRIMARY KEY,
  tariff_id VARCHAR(26) NOT NULL,
  effective_from BIGINT NOT NULL,
  spec TEXT NOT NULL,
  created_by VARCHAR(100) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX tariff_versions_tariff ON tariff_versions (tariff_id, effective_from);
INSERT INTO counters (name, value) VALUES ('bill', 0);
CREATE TABLE bills (
  id VARCHAR(26) PRIMARY KEY,
  number VARCHAR(32) NOT NULL UNIQUE,
  session_id VARCHAR(26) NOT NULL UNIQUE,
  user_id VARCHAR(26) NOT NULL DEFAULT '',
  charger_id VARCHAR(26) NOT NULL,
  site_id VARCHAR(26) NOT NULL DEFAULT '',
  connector_id INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  stopped_at BIGINT NOT NULL,
  duration_s BIGINT NOT NULL,
  energy_wh BIGINT NOT NULL,
  energy_fee BIGINT NOT NULL,
  service_fee BIGINT NOT NULL,
  idle_minutes BIGINT NOT NULL DEFAULT 0,
  idle_fee BIGINT NOT NULL DEFAULT 0,
  adjustment_fen BIGINT NOT NULL DEFAULT 0,
  total_fen BIGINT NOT NULL,
  paid_fen BIGINT NOT NULL DEFAULT 0,
  refunded_fen BIGINT NOT NULL DEFAULT 0,
  status VARCHAR(32) NOT NULL,
  tariff_id VARCHAR(26) NOT NULL DEFAULT '',
  tariff_version_id VARCHAR(26) NOT NULL DEFAULT '',
  line_items TEXT NOT NULL,
  local_day INTEGER NOT NULL,
  local_week INTEGER NOT NULL,
  local_month INTEGER NOT NULL,
  paid_at BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX bills_user ON bills (user_id, created_at);
CREATE INDEX bills_status ON bills (status, created_at);
CREATE INDEX bills_charger_day ON bills (charger_id, local_day);
CREATE INDEX bills_site_day ON bills (site_id, local_day);
CREATE INDEX bills_day ON bills (local_day);
CREATE TABLE payments (
  id VARCHAR(32) PRIMARY KEY,
  bill_id VARCHAR(26) NOT NULL,
  provider VARCHAR(32) NOT NULL,
  method VARCHAR(32) NOT NULL,
  amount_fen BIGINT NOT NULL,
  state VARCHAR(32) NOT NULL,
  provider_tx_id VARCHAR(64) NOT NULL DEFAULT '',
  flag VARCHAR(255) NOT NULL DEFAULT '',
  paid_at BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX payments_bill ON payments (bill_id);
CREATE TABLE refunds (
  id VARCHAR(32) PRIMARY KEY,
  bill_id VARCHAR(26) NOT NULL,
  payment_id VARCHAR(32) NOT NULL,
  amount_fen BIGINT NOT NULL,
  reason VARCHAR(255) NOT NULL DEFAULT '',
  state VARCHAR(32) NOT NULL,
  provider_refund_id VARCHAR(64) NOT NULL DEFAULT '',
  actor_id VARCHAR(26) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX refunds_bill ON refunds (bill_id);

-- +goose Down
DROP TABLE refunds;
DROP TABLE payments;
DROP TABLE bills;
DELETE FROM counters WHERE name = 'bill';
DROP TABLE tariff_versions;
DROP TABLE tariffs;
