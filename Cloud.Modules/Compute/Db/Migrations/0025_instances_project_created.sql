-- A project's server list is ordered by nova's default sort keys, created_at DESC then id DESC. With only
-- instances_project (project_id, deleted) SQLite sorted every listed row, all 36 columns, in a temporary b-tree (the
-- LIMIT makes it an ephemeral index: balance_nonroot, insertCell in perf of GET /servers/detail with 1,000 servers).
-- This index holds a project's rows in created_at order (id, the rowid, breaks ties), so the list reads them in order.
CREATE INDEX IF NOT EXISTS instances_project_created ON instances (project_id, created_at);
