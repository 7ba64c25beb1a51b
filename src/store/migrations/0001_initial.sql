-- 0001_initial: sources, indicators, listing history, sightings, allowlist.
--
-- Times are Unix seconds (INTEGER). Text fields that the records hold as "" are NOT NULL with
-- default '' so the store never has to tell NULL from empty. The schema_migrations table is
-- created by the migration runner (src/store/sqlite/migrator.cc), not here.
--
-- Foreign keys are declared (REFERENCES) as documentation but not enforced: the store runs with
-- PRAGMA foreign_keys = OFF, because the checks probed the sources and indicators b-trees for
-- every new interval and cost ~10% of storing 1M new indicators (bench/store_bench.cc). The
-- store keeps the references valid itself: it inserts rows only with ids it read or inserted in
-- the same transaction, RemoveSource deletes the source's intervals with it, and indicators (the
-- parents of cidr_ranges, listing_intervals and sightings) are never deleted.

CREATE TABLE sources (
  id               INTEGER PRIMARY KEY,
  name             TEXT    NOT NULL UNIQUE,
  url              TEXT    NOT NULL DEFAULT '',
  format           TEXT    NOT NULL DEFAULT '',
  reliability      INTEGER NOT NULL DEFAULT 50 CHECK (reliability BETWEEN 0 AND 100),
  default_category TEXT    NOT NULL DEFAULT '',
  refresh_seconds  INTEGER NOT NULL DEFAULT 3600 CHECK (refresh_seconds >= 0),
  license          TEXT    NOT NULL DEFAULT '',
  options_json     TEXT    NOT NULL DEFAULT '{}',
  enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at       INTEGER NOT NULL,
  -- Fetch state (RecordFetch, ApplySnapshot).
  etag             TEXT    NOT NULL DEFAULT '',
  last_modified    TEXT    NOT NULL DEFAULT '',
  last_attempt_at  INTEGER NOT NULL DEFAULT 0,
  -- Doubles as "last seen" of every open interval of this source, so that a refresh which
  -- changes nothing writes one row instead of one per listed indicator.
  last_success_at  INTEGER NOT NULL DEFAULT 0,
  last_status      TEXT    NOT NULL DEFAULT '',
  last_error       TEXT    NOT NULL DEFAULT ''
);

-- One row per normalized observable. type is the mamori::IndicatorType value.
-- first_seen: first time any source listed it; NULL for indicators known only from sightings.
CREATE TABLE indicators (
  id         INTEGER PRIMARY KEY,
  type       INTEGER NOT NULL CHECK (type BETWEEN 1 AND 8),
  value      TEXT    NOT NULL CHECK (length(value) > 0),
  first_seen INTEGER,
  UNIQUE (type, value)
);

-- The network range of every CIDR indicator (type 3), so "which listed networks contain this
-- address" is a handful of index probes instead of a scan over all indicators. Addresses are
-- 16-byte big-endian blobs (IPv4 in the first 4 bytes, as core::IpAddress holds them).
CREATE TABLE cidr_ranges (
  indicator_id INTEGER PRIMARY KEY REFERENCES indicators (id),
  family       INTEGER NOT NULL CHECK (family IN (4, 6)),
  prefix       INTEGER NOT NULL CHECK (prefix BETWEEN 0 AND 128),
  net_start    BLOB    NOT NULL CHECK (length(net_start) = 16),
  net_end      BLOB    NOT NULL CHECK (length(net_end) = 16)
);
CREATE INDEX cidr_ranges_by_network ON cidr_ranges (family, prefix, net_start);

-- One period during which a source listed an indicator. While open, last_seen and delisted_at
-- are NULL (the reported last_seen is the source's last_success_at); closing sets both.
-- Relisting opens a new row and keeps the closed one.
CREATE TABLE listing_intervals (
  id           INTEGER PRIMARY KEY,
  source_id    INTEGER NOT NULL REFERENCES sources (id),
  indicator_id INTEGER NOT NULL REFERENCES indicators (id),
  first_listed INTEGER NOT NULL,
  last_seen    INTEGER,
  delisted_at  INTEGER,
  category     TEXT    NOT NULL DEFAULT '',
  confidence   INTEGER CHECK (confidence BETWEEN 0 AND 100),  -- NULL: the source does not say
  CHECK ((last_seen IS NULL) = (delisted_at IS NULL))
);
-- The current snapshot of each source: what ApplySnapshot diffs against, and listed_count.
-- UNIQUE, so a source can never list an indicator twice at once.
CREATE UNIQUE INDEX listing_intervals_open
  ON listing_intervals (source_id, indicator_id) WHERE delisted_at IS NULL;
-- Lookup: the full history of one indicator.
CREATE INDEX listing_intervals_by_indicator ON listing_intervals (indicator_id);
-- Deliberately no index on source_id alone: it cost ~10% of every bulk insert, while the one
-- statement that needs it, RemoveSource deleting the source's intervals, is rare and scans this
-- table instead (a scan measured ~25 ms per million intervals).

-- Local observations (hits in our own logs, findings of our own analyses).
CREATE TABLE sightings (
  id           INTEGER PRIMARY KEY,
  indicator_id INTEGER NOT NULL REFERENCES indicators (id),
  observed_at  INTEGER NOT NULL,
  observer     TEXT    NOT NULL DEFAULT '',
  count        INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
  context_json TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX sightings_by_indicator ON sightings (indicator_id, observed_at);

-- Values that must never be blocked. expires_at 0: never.
CREATE TABLE allowlist (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL CHECK (kind IN ('value', 'cidr', 'suffix')),
  value      TEXT    NOT NULL CHECK (length(value) > 0),
  reason     TEXT    NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, value)
);
