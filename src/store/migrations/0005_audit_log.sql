-- 0005_audit_log: an append-only, hash-chained record of what operators and automatic responses
-- did (approvals, actions applied and rolled back). Each row's hash covers the previous row's
-- hash and the row's own fields (store.h, AuditHash), so editing or deleting a row breaks the
-- chain from there on, which VerifyAudit reports. The triggers refuse UPDATE and DELETE through
-- SQL; someone with the file can drop them, but not re-forge the chain without being noticed by
-- anyone who kept an earlier head hash.

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,               -- Unix seconds
  actor     TEXT    NOT NULL,               -- "operator:alice", "playbook:ssh-block", "mamori"
  action    TEXT    NOT NULL,               -- "approve", "reject", "apply", "rollback", ...
  target    TEXT    NOT NULL DEFAULT '',    -- what it was about ("203.0.113.7", "rec:12")
  details   TEXT    NOT NULL DEFAULT '{}',  -- JSON
  prev_hash TEXT    NOT NULL,               -- the previous row's hash; 64 zeros for the first
  hash      TEXT    NOT NULL                -- hex SHA-256, see AuditHash
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
