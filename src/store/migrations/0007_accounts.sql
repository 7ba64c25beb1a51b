-- 0007_accounts: who may use the HTTP API and the web console (server/auth/auth.h).
-- Secrets are never stored: passwords as Argon2id PHC strings, session ids and API tokens as hex
-- SHA-256 of the random value handed out (they are 256-bit random, so a fast hash is enough and
-- a leaked database does not let anyone log in). Roles: viewer < operator < admin.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL UNIQUE,
  role          TEXT    NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  password_hash TEXT    NOT NULL,           -- "$argon2id$v=19$m=...,t=...,p=...$salt$hash"
  created_at    INTEGER NOT NULL,           -- Unix seconds
  disabled      INTEGER NOT NULL DEFAULT 0  -- 1: cannot log in; its sessions are deleted
);

CREATE TABLE sessions (
  id_hash      TEXT    PRIMARY KEY,         -- hex SHA-256 of the mamori_session cookie value
  user_name    TEXT    NOT NULL REFERENCES users (name),
  csrf_token   TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_name);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  name         TEXT    NOT NULL,
  token_hash   TEXT    NOT NULL UNIQUE,     -- hex SHA-256 of "mamori_..."
  role         TEXT    NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  created_by   TEXT    NOT NULL,            -- "operator:alice" or "cli"
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL DEFAULT 0,  -- 0: never used
  revoked_at   INTEGER NOT NULL DEFAULT 0   -- 0: valid
);
