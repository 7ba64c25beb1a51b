-- 0003_source_closed_listings: how many listing intervals each source has closed, ever.
--
-- The blocklist scorer treats a source that never removes entries ("accumulating") differently:
-- its open listings age from their first listing, because staying on such a list says nothing
-- about being active now. Counting closed intervals per source on every build would scan the
-- whole listing_intervals table (it has no index on source_id alone, on purpose: see 0001), so
-- ApplySnapshot keeps this counter instead.

ALTER TABLE sources ADD COLUMN closed_listings INTEGER NOT NULL DEFAULT 0;

UPDATE sources SET closed_listings =
  (SELECT count(*) FROM listing_intervals li
   WHERE li.source_id = sources.id AND li.delisted_at IS NOT NULL);
