-- 0011_domain_lifecycle: how a domain's life looks from outside — popularity lists, zone
-- presence, RDAP registration data — and ground-truth labels (store/domain_records.h;
-- docs/formats/popularity-list.md, zone-snapshot.md, rdap.md, domain-labels.md).
--
-- Daily snapshots are kept as intervals of consecutive snapshots (first_day..last_day, days since
-- 1970-01-01 UTC), not one row per day. Applying a snapshot extends the intervals that ended on
-- the list's previous snapshot day, so the `_by_end` indexes ((name, last_day, domain)) make that
-- set one index range, read in domain order and merged with the sorted snapshot.

CREATE TABLE popularity_intervals (
  id         INTEGER PRIMARY KEY,
  list       TEXT    NOT NULL,  -- "tranco", "umbrella", "majestic" …
  domain     TEXT    NOT NULL,
  first_day  INTEGER NOT NULL,
  last_day   INTEGER NOT NULL,
  rank_band  INTEGER NOT NULL,  -- floor(log2(rank)): 2^band <= rank < 2^(band+1)
  best_rank  INTEGER NOT NULL
);
CREATE INDEX popularity_intervals_by_domain ON popularity_intervals (domain, list, first_day);
CREATE INDEX popularity_intervals_by_end ON popularity_intervals (list, last_day, domain);

CREATE TABLE zone_intervals (
  id         INTEGER PRIMARY KEY,
  zone       TEXT    NOT NULL,  -- "com"
  domain     TEXT    NOT NULL,  -- the registered name, "example.com"
  first_day  INTEGER NOT NULL,
  last_day   INTEGER NOT NULL
);
CREATE INDEX zone_intervals_by_domain ON zone_intervals (domain, zone, first_day);
CREATE INDEX zone_intervals_by_end ON zone_intervals (zone, last_day, domain);

-- Which snapshots were applied: absence from a list means something only on a day it has one.
CREATE TABLE lifecycle_snapshot_days (
  kind     TEXT    NOT NULL,  -- popularity | zone
  name     TEXT    NOT NULL,  -- list or zone
  day      INTEGER NOT NULL,
  entries  INTEGER NOT NULL,
  PRIMARY KEY (kind, name, day)
) WITHOUT ROWID;

-- RDAP observations. An observation equal to the domain's newest one (all but observed_at) is
-- not stored again, so a domain polled daily costs a row per change, not per poll.
CREATE TABLE domain_registrations (
  id              INTEGER PRIMARY KEY,
  domain          TEXT    NOT NULL,
  observed_at     INTEGER NOT NULL,
  created         INTEGER NOT NULL DEFAULT 0,  -- 0: not given
  expires         INTEGER NOT NULL DEFAULT 0,
  updated         INTEGER NOT NULL DEFAULT 0,
  registrar       TEXT    NOT NULL DEFAULT '',
  registrar_iana  TEXT    NOT NULL DEFAULT '',
  abuse_email     TEXT    NOT NULL DEFAULT '',
  nameservers     TEXT    NOT NULL DEFAULT '',  -- newline-separated, in the order given
  statuses        TEXT    NOT NULL DEFAULT ''   -- newline-separated, in the order given
);
CREATE INDEX domain_registrations_by_domain ON domain_registrations (domain, observed_at);

-- Ground truth: the same (domain, malicious, source) keeps its earliest `at`.
CREATE TABLE domain_labels (
  domain     TEXT    NOT NULL,
  malicious  INTEGER NOT NULL,  -- 1 malicious, 0 benign
  source     TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  PRIMARY KEY (domain, malicious, source)
) WITHOUT ROWID;
