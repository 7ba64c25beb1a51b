-- 0010_passive_dns: aggregated passive DNS rrsets (store/domain_records.h, PdnsRrset;
-- docs/formats/passive-dns.md). One row per (name, rrtype, rdata) with the earliest and latest
-- sighting and a count; ingests merge into it (store.h, MergePdns).
--
-- Names and rdata are interned: an rrset row is five integers, so the table and its rdata index
-- stay small and a bulk merge touches small B-tree pages. Many rrsets share a name (A, AAAA,
-- NS, MX of one host) and very many share an rdata (hosting addresses, shared name servers).

CREATE TABLE pdns_names (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,   -- lower case, no trailing dot
  registered TEXT NOT NULL           -- the name's registrable domain (PSL); '' when none
);
-- PdnsByRegistered: the names of one registered domain.
CREATE INDEX pdns_names_by_registered ON pdns_names (registered);

CREATE TABLE pdns_rdata (
  id    INTEGER PRIMARY KEY,
  rdata TEXT NOT NULL UNIQUE
);

CREATE TABLE pdns_rrsets (
  name_id    INTEGER NOT NULL,       -- pdns_names.id
  rrtype     INTEGER NOT NULL,       -- DNS type number (1 A, 28 AAAA, 5 CNAME, …)
  rdata_id   INTEGER NOT NULL,       -- pdns_rdata.id
  first_seen INTEGER NOT NULL,       -- unix seconds
  last_seen  INTEGER NOT NULL,
  count      INTEGER NOT NULL,
  PRIMARY KEY (name_id, rrtype, rdata_id)
) WITHOUT ROWID;
-- PdnsByRdata: who else resolved to this address or name.
CREATE INDEX pdns_rrsets_by_rdata ON pdns_rrsets (rdata_id);
