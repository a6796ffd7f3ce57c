-- The kernel owns both tables: any module's API writes them inside its own create transaction.
-- rpc_outbox: casts committed with the rows they are about (a create and its schedule_run_instance), sent after the
-- commit; a row still here past next_attempt_at was not delivered and is sent again by RpcOutboxSender.
CREATE TABLE IF NOT EXISTS rpc_outbox (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    topic VARCHAR(255) NOT NULL,
    method VARCHAR(255) NOT NULL,
    body TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(6) NOT NULL
){{table_options}};
CREATE INDEX IF NOT EXISTS rpc_outbox_next_attempt_at ON rpc_outbox (next_attempt_at);
-- quota_locks: one row per project and quota scope (e.g. compute's instances), updated first in a create's
-- transaction so that concurrent creates of one project check their usage one after the other.
CREATE TABLE IF NOT EXISTS quota_locks (
    project_id VARCHAR(255) NOT NULL,
    scope VARCHAR(64) NOT NULL,
    held_at DATETIME(6) NOT NULL,
    PRIMARY KEY (project_id, scope)
){{table_options}};
