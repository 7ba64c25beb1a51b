-- 0006_response_actions: the response engine's actions and recommendations (store/records.h,
-- ActionRecord; docs/respond.md), and settings changed at run time (the kill switch).
-- Every action ever proposed or taken stays, so what was done, when and why can be shown later;
-- the audit log (0005) holds the tamper-evident trail of the same decisions.

CREATE TABLE actions (
  id               INTEGER PRIMARY KEY,
  playbook         TEXT    NOT NULL,
  kind             TEXT    NOT NULL,
  device           TEXT    NOT NULL DEFAULT '',
  target           TEXT    NOT NULL DEFAULT '',
  params           TEXT    NOT NULL DEFAULT '{}',  -- JSON
  state            TEXT    NOT NULL,
  mode             TEXT    NOT NULL DEFAULT 'auto',
  duration_seconds INTEGER NOT NULL DEFAULT 0,
  detection_id     INTEGER NOT NULL DEFAULT 0,
  evidence         TEXT    NOT NULL DEFAULT '{}',  -- JSON
  expected_effect  TEXT    NOT NULL DEFAULT '',
  reason           TEXT    NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  decided_at       INTEGER NOT NULL DEFAULT 0,
  decided_by       TEXT    NOT NULL DEFAULT '',
  comment          TEXT    NOT NULL DEFAULT '',
  applied_at       INTEGER NOT NULL DEFAULT 0,
  expires_at       INTEGER NOT NULL DEFAULT 0,
  ended_at         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT    NOT NULL DEFAULT '',
  attempts         INTEGER NOT NULL DEFAULT 0,
  updated_at       INTEGER NOT NULL DEFAULT 0
);

-- The response engine asks "what is in force or waiting" (state) and "what expires next".
CREATE INDEX actions_by_state ON actions (state, expires_at);
CREATE INDEX actions_by_target ON actions (target, kind);

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
