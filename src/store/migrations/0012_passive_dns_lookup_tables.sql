-- 0012_passive_dns_lookup_tables: the two secondary indexes of the passive DNS tables
-- (0010_passive_dns.sql) become WITHOUT ROWID tables with the same keys, written by the store
-- (store/sqlite/pdns.cc) beside the rows they point at.
--
-- Why: a first load of millions of rrsets (MergePdns into empty tables) dropped the indexes and
-- rebuilt them with CREATE INDEX, and SQLite's sorter spent most of that load there (5.3 s for
-- 4.9 M rrsets, 3.4 s for 2.6 M names). A table can be filled in key order from entries the
-- store sorts in memory, an append at the right edge of its B-tree (about 1 s for the same
-- rows). Same reads, same size on disk as the indexes they replace.

-- PdnsByRdata: who else resolved to this address or name. One row per pdns_rrsets row.
DROP INDEX pdns_rrsets_by_rdata;
CREATE TABLE pdns_rdata_rrsets (
  rdata_id INTEGER NOT NULL,         -- pdns_rdata.id
  name_id  INTEGER NOT NULL,         -- pdns_names.id
  rrtype   INTEGER NOT NULL,
  PRIMARY KEY (rdata_id, name_id, rrtype)
) WITHOUT ROWID;
INSERT INTO pdns_rdata_rrsets (rdata_id, name_id, rrtype)
  SELECT rdata_id, name_id, rrtype FROM pdns_rrsets;

-- PdnsByRegistered: the names of one registered domain. One row per pdns_names row.
DROP INDEX pdns_names_by_registered;
CREATE TABLE pdns_registered_names (
  registered TEXT NOT NULL,          -- pdns_names.registered
  name_id    INTEGER NOT NULL,       -- pdns_names.id
  PRIMARY KEY (registered, name_id)
) WITHOUT ROWID;
INSERT INTO pdns_registered_names (registered, name_id) SELECT registered, id FROM pdns_names;
