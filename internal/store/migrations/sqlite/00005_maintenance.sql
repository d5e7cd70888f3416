-- +goose Up
CREATE TABLE alarms (
  id TEXT PRIMARY KEY,
  charger_id TEXT NOT NULL,
  site_id TEXT NOT NULL DEFAULT '',
  connector_id INTEGER NOT NULL DEFAULT 0,
  session_id TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  code TEXT NOT NULL,
  severity TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  occurrences INTEGER NOT NULL DEFAULT 1,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  cleared_at INTEGER NOT NULL DEFAULT 0,
  acked_by TEXT NOT NULL DEFAULT '',
  acked_at INTEGER NOT NULL DEFAULT 0,
  assignee_id TEXT NOT NULL DEFAULT '',
  resolved_by TEXT NOT NULL DEFAULT '',
  resolved_at INTEGER NOT NULL DEFAULT 0,
  resolution_note TEXT NOT NULL,
  task_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX alarms_key ON alarms (charger_id, connector_id, code, status);
CREATE INDEX alarms_status ON alarms (status, id);
CREATE INDEX alarms_assignee ON alarms (assignee_id, id);
CREATE TABLE maintenance_tasks (
  id TEXT PRIMARY KEY,
  charger_id TEXT NOT NULL,
  site_id TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  alarm_id TEXT NOT NULL DEFAULT '',
  assignee_id TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL DEFAULT 0,
  every_days INTEGER NOT NULL DEFAULT 0,
  availability TEXT NOT NULL DEFAULT '',
  applied_at INTEGER NOT NULL DEFAULT 0,
  done_by TEXT NOT NULL DEFAULT '',
  done_at INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL,
  has_photo BOOLEAN NOT NULL DEFAULT FALSE,
  previous_id TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX maintenance_tasks_due ON maintenance_tasks (status, window_start);
CREATE INDEX maintenance_tasks_charger ON maintenance_tasks (charger_id, id);
CREATE INDEX maintenance_tasks_assignee ON maintenance_tasks (assignee_id, id);
CREATE INDEX maintenance_tasks_availability ON maintenance_tasks (availability);
CREATE TABLE task_photos (
  task_id TEXT PRIMARY KEY,
  content_type TEXT NOT NULL,
  data BLOB NOT NULL,
  created_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE task_photos;
DROP TABLE maintenance_tasks;
DROP TABLE alarms;
