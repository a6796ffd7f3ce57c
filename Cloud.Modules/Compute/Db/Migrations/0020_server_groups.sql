-- Server groups (nova's instance_groups): a policy the scheduler enforces on the group's members, which join the group
-- when they are created (os:scheduler_hints.group) and leave it when they are deleted (only live members count).
CREATE TABLE IF NOT EXISTS instance_groups (
    id {{autoincrement_pk}},
    uuid VARCHAR(36) NOT NULL,
    name VARCHAR(255) NOT NULL,
    project_id VARCHAR(64) NOT NULL,
    user_id VARCHAR(64) NULL,
    policy VARCHAR(32) NOT NULL,
    max_server_per_host INTEGER NULL,
    deleted BOOLEAN NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL
){{table_options}};
CREATE UNIQUE INDEX IF NOT EXISTS instance_groups_uuid ON instance_groups (uuid);
CREATE INDEX IF NOT EXISTS instance_groups_project ON instance_groups (project_id, deleted);
CREATE TABLE IF NOT EXISTS instance_group_members (
    group_id INTEGER NOT NULL,
    instance_uuid VARCHAR(36) NOT NULL,
    PRIMARY KEY (group_id, instance_uuid)
);
CREATE INDEX IF NOT EXISTS instance_group_members_instance ON instance_group_members (instance_uuid);
