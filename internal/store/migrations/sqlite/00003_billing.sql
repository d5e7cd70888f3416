-- +goose Up
CREATE TABLE tariffs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  site_id TEXT NOT NULL DEFAULT '',
  is_default BOOLEAN NOT NULL DEFAULT FALSE,
  created_at INTEGER NOT NULL
);
CREATE TABLE tariff_versions (
  id TEXT PRIMARY KEY,
  tariff_id TEXT NOT NULL,
  effective_from INTEGER NOT NULL,
  spec TEXT NOT NULL,
  created_by TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX tariff_versions_tariff ON tariff_versions (tariff_id, effective_from);
INSERT INTO counters (name, value) VALUES ('bill', 0);
CREATE TABLE bills (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  session_id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL DEFAULT '',
  charger_id TEXT NOT NULL,
  site_id TEXT NOT NULL DEFAULT '',
  connector_id INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  stopped_at INTEGER NOT NULL,
  duration_s INTEGER NOT NULL,
  energy_wh INTEGER NOT NULL,
  energy_fee INTEGER NOT NULL,
  service_fee INTEGER NOT NULL,
  idle_minutes INTEGER NOT NULL DEFAULT 0,
  idle_fee INTEGER NOT NULL DEFAULT 0,
  adjustment_fen INTEGER NOT NULL DEFAULT 0,
  total_fen INTEGER NOT NULL,
  paid_fen INTEGER NOT NULL DEFAULT 0,
  refunded_fen INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  tariff_id TEXT NOT NULL DEFAULT '',
  tariff_version_id TEXT NOT NULL DEFAULT '',
  line_items TEXT NOT NULL,
  local_day INTEGER NOT NULL,
  local_week INTEGER NOT NULL,
  local_month INTEGER NOT NULL,
  paid_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX bills_user ON bills (user_id, created_at);
CREATE INDEX bills_status ON bills (status, created_at);
CREATE INDEX bills_charger_day ON bills (charger_id, local_day);
CREATE INDEX bills_site_day ON bills (site_id, local_day);
CREATE INDEX bills_day ON bills (local_day);
CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  bill_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  method TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  state TEXT NOT NULL,
  provider_tx_id TEXT NOT NULL DEFAULT '',
  flag TEXT NOT NULL DEFAULT '',
  paid_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX payments_bill ON payments (bill_id);
CREATE TABLE refunds (
  id TEXT PRIMARY KEY,
  bill_id TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  provider_refund_id TEXT NOT NULL DEFAULT '',
  actor_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX refunds_bill ON refunds (bill_id);

-- +goose Down
DROP TABLE refunds;
DROP TABLE payments;
DROP TABLE bills;
DELETE FROM counters WHERE name = 'bill';
DROP TABLE tariff_versions;
DROP TABLE tariffs;
