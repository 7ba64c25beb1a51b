-- 0004_detections_and_offsets: what the detection rules found in our logs, and how far each
-- followed log file has been read.
--
-- detections: one row per detection (rule × group × input × first event time). The collector
-- writes a row when a detection opens and rewrites it while it is ongoing and when it closes, so
-- the natural key is what identifies it across those writes. Times are Unix microseconds (log
-- events carry sub-second times; rules group by them). `evidence` is a JSON array of the first
-- few matching events ({"time", "raw", "fields": {...}}); `input` names where the events came
-- from ("file:/var/log/nginx/access.log", "syslog-udp:127.0.0.1:5514", "import:auth.log").
-- `target` is the other side of the first evidence event: the destination address, domain, DNS
-- name or server name it reached, else the host that logged it.

CREATE TABLE detections (
  id               INTEGER PRIMARY KEY,
  rule_id          TEXT    NOT NULL,
  title            TEXT    NOT NULL,
  level            TEXT    NOT NULL,
  group_field      TEXT    NOT NULL,
  group_value      TEXT    NOT NULL,
  target           TEXT    NOT NULL DEFAULT '',  -- what was attacked or contacted
  input            TEXT    NOT NULL,
  first_time       INTEGER NOT NULL,
  last_time        INTEGER NOT NULL,
  count            INTEGER NOT NULL,
  distinct_count   INTEGER NOT NULL DEFAULT 0,
  ongoing          INTEGER NOT NULL,
  evidence         TEXT    NOT NULL DEFAULT '[]',
  evidence_dropped INTEGER NOT NULL DEFAULT 0,
  recorded_at      INTEGER NOT NULL,  -- Unix seconds of the first write
  updated_at       INTEGER NOT NULL,  -- Unix seconds of the latest write
  UNIQUE (rule_id, group_value, input, first_time)
);

-- Listing newest first, and "everything about this address".
CREATE INDEX detections_by_last_time ON detections (last_time);
CREATE INDEX detections_by_group ON detections (group_value, last_time);

-- collector_offsets: the byte offset after the last line of each followed file that was fully
-- processed. device/inode and a fingerprint of the file's first bytes tell, after a restart,
-- whether the file is still the one the offset belongs to (rotation replaces it; truncation
-- makes it shorter than the offset).
CREATE TABLE collector_offsets (
  input       TEXT PRIMARY KEY,
  device      INTEGER NOT NULL,
  inode       INTEGER NOT NULL,
  offset      INTEGER NOT NULL,
  fingerprint TEXT    NOT NULL,
  updated_at  INTEGER NOT NULL
);
