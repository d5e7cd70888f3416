-- +goose Up
CREATE TABLE sites (
  id VARCHAR(26) PRIMARY KEY,
  code VARCHAR(100) NOT NULL UNIQUE,
  name VARCHAR(100) NOT NULL,
  timezone VARCHAR(100) NOT NULL,
  address VARCHAR(255) NOT NULL DEFAULT '',
  lat DOUBLE NOT NULL DEFAULT 0,
  lng DOUBLE NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE users (
  id VARCHAR(26) PRIMARY KEY,
  name VARCHAR(100) UNIQUE,
  display_name VARCHAR(100) NOT NULL DEFAULT '',
  phone VARCHAR(100) UNIQUE,
  wechat_openid VARCHAR(100) UNIQUE,
  role VARCHAR(100) NOT NULL,
  password_hash VARCHAR(255) NOT NULL DEFAULT '',
  blocked BOOLEAN NOT NULL DEFAULT FALSE,
  blocked_reason VARCHAR(255) NOT NULL DEFAULT '',
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_login_at BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX users_role ON users (role, id);
CREATE TABLE auth_tokens (
  id VARCHAR(26) PRIMARY KEY,
  token_hash CHAR(64) NOT NULL UNIQUE,
  user_id VARCHAR(26) NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL DEFAULT 0,
  user_agent VARCHAR(255) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX auth_tokens_user ON auth_tokens (user_id);
CREATE TABLE audit_log (
  id VARCHAR(26) PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_id VARCHAR(64) NOT NULL,
  actor_name VARCHAR(100) NOT NULL,
  action VARCHAR(100) NOT NULL,
  target_type VARCHAR(100) NOT NULL,
  target_id VARCHAR(64) NOT NULL,
  summary VARCHAR(255) NOT NULL DEFAULT '',
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE auth_tokens;
DROP TABLE users;
DROP TABLE sites;
