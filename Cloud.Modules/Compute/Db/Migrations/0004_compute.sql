-- Compute: flavors (the seed's m1.* defaults, nova's ids 1..5), instances and their actions, metadata and
-- security groups, key pairs, security groups and rules, and compute_nodes: each compute host's capacity
-- (reported with its heartbeat) and the resources the scheduler has claimed on it (*_used).
CREATE TABLE IF NOT EXISTS flavors (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    memory_mb INTEGER NOT NULL,
    vcpus INTEGER NOT NULL,
    root_gb INTEGER NOT NULL,
    created_at DATETIME(6) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS flavors_name ON flavors (name);
INSERT INTO flavors (id, name, memory_mb, vcpus, root_gb, created_at) VALUES
    (1, 'm1.tiny', 512, 1, 0, CURRENT_TIMESTAMP),
    (2, 'm1.small', 2048, 1, 20, CURRENT_TIMESTAMP),
    (3, 'm1.medium', 4096, 2, 40, CURRENT_TIMESTAMP),
    (4, 'm1.large', 8192, 4, 80, CURRENT_TIMESTAMP),
    (5, 'm1.xlarge', 16384, 8, 160, CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS instances (
    id {{autoincrement_pk}},
    uuid VARCHAR(36) NOT NULL,
    display_name VARCHAR(255) NOT NULL,
    project_id VARCHAR(64) NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    image_ref VARCHAR(255) NOT NULL,
    kernel_id VARCHAR(255) NULL,
    ramdisk_id VARCHAR(255) NULL,
    instance_type_id INTEGER NOT NULL,
    memory_mb INTEGER NOT NULL,
    vcpus INTEGER NOT NULL,
    root_gb INTEGER NOT NULL,
    key_name VARCHAR(255) NULL,
    key_data TEXT NULL,
    user_data TEXT NULL,
    reservation_id VARCHAR(16) NOT NULL,
    launch_index INTEGER NOT NULL,
    host VARCHAR(255) NULL,
    availability_zone VARCHAR(255) NULL,
    vm_state VARCHAR(32) NOT NULL,
    task_state VARCHAR(32) NULL,
    power_state INTEGER NOT NULL DEFAULT 0,
    launched_at DATETIME(6) NULL,
    terminated_at DATETIME(6) NULL,
    deleted BOOLEAN NOT NULL DEFAULT 0,
    fault_code INTEGER NULL,
    fault_message TEXT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL
){{table_options}};
CREATE UNIQUE INDEX IF NOT EXISTS instances_uuid ON instances (uuid);
CREATE INDEX IF NOT EXISTS instances_project ON instances (project_id, deleted);
CREATE INDEX IF NOT EXISTS instances_host ON instances (host, deleted);
CREATE INDEX IF NOT EXISTS instances_reservation ON instances (reservation_id);
CREATE TABLE IF NOT EXISTS instance_actions (
    id {{autoincrement_pk}},
    instance_uuid VARCHAR(36) NOT NULL,
    action VARCHAR(64) NOT NULL,
    request_id VARCHAR(64) NOT NULL,
    user_id VARCHAR(64) NULL,
    project_id VARCHAR(64) NULL,
    message TEXT NULL,
    start_time DATETIME(6) NOT NULL
){{table_options}};
CREATE INDEX IF NOT EXISTS instance_actions_uuid ON instance_actions (instance_uuid);
CREATE TABLE IF NOT EXISTS instance_metadata (
    instance_uuid VARCHAR(36) NOT NULL,
    `key` VARCHAR(255) NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (instance_uuid, `key`)
);
CREATE TABLE IF NOT EXISTS key_pairs (
    id {{autoincrement_pk}},
    user_id VARCHAR(64) NOT NULL,
    project_id VARCHAR(64) NOT NULL,
    name VARCHAR(255) NOT NULL,
    fingerprint VARCHAR(255) NOT NULL,
    public_key TEXT NOT NULL,
    type VARCHAR(16) NOT NULL,
    created_at DATETIME(6) NOT NULL
){{table_options}};
CREATE UNIQUE INDEX IF NOT EXISTS key_pairs_user_name ON key_pairs (user_id, name);
CREATE TABLE IF NOT EXISTS security_groups (
    id {{autoincrement_pk}},
    project_id VARCHAR(64) NOT NULL,
    user_id VARCHAR(64) NULL,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(255) NOT NULL,
    created_at DATETIME(6) NOT NULL
){{table_options}};
CREATE UNIQUE INDEX IF NOT EXISTS security_groups_project_name ON security_groups (project_id, name);
CREATE TABLE IF NOT EXISTS security_group_rules (
    id {{autoincrement_pk}},
    parent_group_id INTEGER NOT NULL,
    protocol VARCHAR(8) NOT NULL,
    from_port INTEGER NOT NULL,
    to_port INTEGER NOT NULL,
    cidr VARCHAR(64) NULL,
    group_id INTEGER NULL,
    created_at DATETIME(6) NOT NULL
){{table_options}};
CREATE INDEX IF NOT EXISTS security_group_rules_parent ON security_group_rules (parent_group_id);
CREATE TABLE IF NOT EXISTS instance_security_groups (
    instance_uuid VARCHAR(36) NOT NULL,
    security_group_id INTEGER NOT NULL,
    PRIMARY KEY (instance_uuid, security_group_id)
);
CREATE INDEX IF NOT EXISTS instance_security_groups_group ON instance_security_groups (security_group_id);
CREATE TABLE IF NOT EXISTS compute_nodes (
    host VARCHAR(255) NOT NULL PRIMARY KEY,
    hypervisor_type VARCHAR(64) NOT NULL,
    vcpus INTEGER NOT NULL,
    memory_mb INTEGER NOT NULL,
    local_gb INTEGER NOT NULL,
    vcpus_used INTEGER NOT NULL DEFAULT 0,
    memory_mb_used INTEGER NOT NULL DEFAULT 0,
    local_gb_used INTEGER NOT NULL DEFAULT 0,
    running_vms INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL
);
