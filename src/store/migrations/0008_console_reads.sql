-- 0008_console_reads: what the web console's lists read.
--
-- GET /api/v1/actions?state=proposed (the recommendation queue) and ?state=active,pending (the
-- dashboard's "actions in force") list the newest actions of some states. actions_by_state
-- (state, expires_at) found the rows but SQLite then fetched and sorted every action in those
-- states to return the newest 50-200: 6-20 ms with 1,000 proposed and 1,000 active actions, more
-- as they accumulate. With (state, id) it walks each state's newest ids and stops at the limit
-- (docs/benchmarks.md, "Issue 11").
CREATE INDEX actions_by_state_id ON actions (state, id);
