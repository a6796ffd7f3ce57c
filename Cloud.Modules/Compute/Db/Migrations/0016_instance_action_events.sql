-- os-instance-actions: the events the services record for an action (nova's instance_actions_events: start, finish,
-- result, details, host). An action's updated_at (2.58) is its last event's time, else its start, so instance_actions
-- keeps its columns.
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
