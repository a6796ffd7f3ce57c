-- os-instance-actions: when an action last changed (2.58 updated_at, paging by changes-since) and the events the compute
-- manager records for it (nova's instance_actions_events: start, finish, result, details, host).
ALTER TABLE instance_actions ADD COLUMN updated_at DATETIME(6) NULL;
UPDATE instance_actions SET updated_at = start_time WHERE updated_at IS NULL;
CREATE INDEX IF NOT EXISTS instance_actions_request ON instance_actions (instance_uuid, request_id);
CREATE TABLE IF NOT EXISTS instance_actions_events (
    id {{autoincrement_pk}},
    action_id INTEGER NOT NULL,
    event VARCHAR(255) NOT NULL,
    start_time DATETIME(6) NOT NULL,
    finish_time DATETIME(6) NULL,
    result VARCHAR(255) NULL,
    traceback TEXT NULL,
    host VARCHAR(255) NULL,
    details TEXT NULL
){{table_options}};
CREATE INDEX IF NOT EXISTS instance_actions_events_action ON instance_actions_events (action_id);
