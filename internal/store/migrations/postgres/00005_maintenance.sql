-- +goose Up
CREATE TABLE alarms (
  id VARCHAR(26) PRIMARY KEY,
  charger_id VARCHAR(26) NOT NULL,
  site_id VARCHAR(26) NOT NULL DEFAULT '',
  connector_id INTEGER NOT NULL DEFAULT 0,
  session_id VARCHAR(26) NOT NULL DEFAULT '',
  source VARCHAR(16) NOT NULL,
  code VARCHAR(64) NOT NULL,
  severity VARCHAR(16) NOT NULL,
  detail VARCHAR(255) NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL,
  occurrences INTEGER NOT NULL DEFAULT 1,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  cleared_at BIGINT NOT NULL DEFAULT 0,
  acked_by VARCHAR(26) NOT NULL DEFAULT '',
  acked_at BIGINT NOT NULL DEFAULT 0,
  assignee_id VARCHAR(26) NOT NULL DEFAULT '',
  resolved_by VARCHAR(26) NOT NULL DEFAULT '',
  resolved_at BIGINT NOT NULL DEFAULT 0,
  resolution_note TEXT NOT NULL,
  task_id VARCHAR(26) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX alarms_key ON alarms (charger_id, connector_id, code, status);
CREATE INDEX alarms_status ON alarms (status, id);
CREATE INDEX alarms_assignee ON alarms (assignee_id, id);
CREATE TABLE maintenance_tasks (
  id VARCHAR(26) PRIMARY KEY,
  charger_id VARCHAR(26) NOT NULL,
  site_id VARCHAR(26) NOT NULL DEFAULT '',
  kind VARCHAR(16) NOT NULL,
  title VARCHAR(100) NOT NULL,
  description TEXT NOT NULL,
  alarm_id VARCHAR(26) NOT NULL DEFAULT '',
  assignee_id VARCHAR(26) NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL,
  window_start BIGINT NOT NULL,
  window_end BIGINT NOT NULL DEFAULT 0,
  every_days INTEGER NOT NULL DEFAULT 0,
  availability VARCHAR(16) NOT NULL DEFAULT '',
  applied_at BIGINT NOT NULL DEFAULT 0,
  done_by VARCHAR(26) NOT NULL DEFAULT '',
  done_at BIGINT NOT NULL DEFAULT 0,
  note TEXT NOT NULL,
  has_photo BOOLEAN NOT NULL DEFAULT FALSE,
  previous_id VARCHAR(26) NOT NULL DEFAULT '',
  created_by VARCHAR(26) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX maintenance_tasks_due ON maintenance_tasks (status, window_start);
CREATE INDEX maintenance_tasks_charger ON maintenance_tasks (charger_id, id);
CREATE INDEX maintenance_tasks_assignee ON maintenance_tasks (assignee_id, id);
CREATE INDEX maintenance_tasks_availability ON maintenance_tasks (availability);
CREATE TABLE task_photos (
  task_id VARCHAR(26) PRIMARY KEY,
  content_type VARCHAR(64) NOT NULL,
  data BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE task_photos;
DROP TABLE maintenance_tasks;
DROP TABLE alarms;
