-- Volume: nova-volume's volumes and snapshots, the iSCSI target ids each volume host hands out, and each volume host's
-- reported capacity. A volume's integer id names its backing store (volume-%08x) and target; uuid is the OpenStack id.
-- provider_location is the backing path the manager exports; provider_auth is "CHAP <user> <secret>" (never shown by
-- an API). extending_to_gb holds the size an extend asked for, so the gigabytes quota counts it while extending.
-- Rows are deleted when the volume is gone (no soft delete): the quota counts every row.
CREATE TABLE IF NOT EXISTS volumes (
    id {{autoincrement_pk}},
    uuid VARCHAR(36) NOT NULL,
    project_id VARCHAR(64) NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    display_name VARCHAR(255) NULL,
    display_description VARCHAR(255) NULL,
    size_gb INTEGER NOT NULL,
    extending_to_gb INTEGER NULL,
    availability_zone VARCHAR(255) NOT NULL,
    status VARCHAR(32) NOT NULL,
    status_reason TEXT NULL,
    host VARCHAR(255) NULL,
    volume_type VARCHAR(255) NOT NULL,
    snapshot_uuid VARCHAR(36) NULL,
    source_volume_uuid VARCHAR(36) NULL,
    bootable BOOLEAN NOT NULL DEFAULT 0,
    attach_status VARCHAR(16) NOT NULL,
    attachment_id VARCHAR(36) NULL,
    instance_uuid VARCHAR(36) NULL,
    attached_host VARCHAR(255) NULL,
    mountpoint VARCHAR(255) NULL,
    attached_at DATETIME(6) NULL,
    delete_on_termination BOOLEAN NOT NULL DEFAULT 0,
    boot_index INTEGER NULL,
    provider_location VARCHAR(1024) NULL,
    provider_auth VARCHAR(255) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NULL
){{table_options}};
CREATE UNIQUE INDEX IF NOT EXISTS volumes_uuid ON volumes (uuid);
CREATE INDEX IF NOT EXISTS volumes_project ON volumes (project_id);
CREATE INDEX IF NOT EXISTS volumes_host ON volumes (host);
CREATE INDEX IF NOT EXISTS volumes_instance ON volumes (instance_uuid);
CREATE INDEX IF NOT EXISTS volumes_status ON volumes (status);
CREATE TABLE IF NOT EXISTS volume_metadata (
    volume_id INTEGER NOT NULL,
    `key` VARCHAR(255) NOT NULL,
    value VARCHAR(255) NOT NULL,
    PRIMARY KEY (volume_id, `key`)
){{table_options}};
CREATE TABLE IF NOT EXISTS snapshots (
    id {{autoincrement_pk}},
    uuid VARCHAR(36) NOT NULL,
    project_id VARCHAR(64) NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    volume_id INTEGER NOT NULL,
    volume_uuid VARCHAR(36) NOT NULL,
    display_name VARCHAR(255) NULL,
    display_description VARCHAR(255) NULL,
    size_gb INTEGER NOT NULL,
    status VARCHAR(32) NOT NULL,
    status_reason TEXT NULL,
    progress VARCHAR(8) NOT NULL,
    host VARCHAR(255) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NULL
){{table_options}};
CREATE UNIQUE INDEX IF NOT EXISTS snapshots_uuid ON snapshots (uuid);
CREATE INDEX IF NOT EXISTS snapshots_project ON snapshots (project_id);
CREATE INDEX IF NOT EXISTS snapshots_volume ON snapshots (volume_id);
-- nova-volume's scheme: each volume host has target numbers 1..--iscsi_num_targets; a volume takes a free one on its
-- host when it is created and gives it back when it is deleted (one target per volume: the unique volume_id).
CREATE TABLE IF NOT EXISTS iscsi_targets (
    id {{autoincrement_pk}},
    host VARCHAR(255) NOT NULL,
    target_num INTEGER NOT NULL,
    volume_id INTEGER NULL
){{table_options}};
CREATE UNIQUE INDEX IF NOT EXISTS iscsi_targets_host_num ON iscsi_targets (host, target_num);
CREATE UNIQUE INDEX IF NOT EXISTS iscsi_targets_volume ON iscsi_targets (volume_id);
CREATE TABLE IF NOT EXISTS volume_hosts (
    host VARCHAR(255) NOT NULL PRIMARY KEY,
    total_gb INTEGER NOT NULL,
    free_gb INTEGER NOT NULL,
    updated_at DATETIME(6) NOT NULL
){{table_options}};
