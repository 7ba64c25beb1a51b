-- 0002_blocklist_builds: what each device profile's blocklist build produced.
--
-- The previous build's entries are what the selector compares against to limit churn (an entry
-- is displaced only by a clearly better one) and what "changed since the last build" reports.
-- Only the newest few successful builds keep their entries (the store prunes older ones), so
-- this table holds at most a few times the sum of the profiles' capacities.

CREATE TABLE blocklist_builds (
  id               INTEGER PRIMARY KEY,
  profile          TEXT    NOT NULL,
  built_at         INTEGER NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('ok', 'failed')),
  error            TEXT    NOT NULL DEFAULT '',
  entries          INTEGER NOT NULL DEFAULT 0,
  total_priority   REAL    NOT NULL DEFAULT 0,
  covered_priority REAL    NOT NULL DEFAULT 0,
  report_json      TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX blocklist_builds_by_profile ON blocklist_builds (profile, id);

CREATE TABLE blocklist_build_entries (
  build_id INTEGER NOT NULL REFERENCES blocklist_builds (id),
  type     INTEGER NOT NULL CHECK (type BETWEEN 1 AND 8),
  value    TEXT    NOT NULL,
  priority REAL    NOT NULL
);
CREATE INDEX blocklist_build_entries_by_build ON blocklist_build_entries (build_id);
