-- Moving servers (rebuild, resize, shelve): nova's migrations table (one row per resize: where from, where to, which
-- flavors, and its status pre-migrating → migrating → post-migrating → finished → confirmed | reverted, or error), and
-- shelved_instances: what an instance keeps while shelved (its snapshot, and when, for --shelved_offload_time).
CREATE TABLE IF NOT EXISTS migrations (
    id {{autoincrement_pk}},
    uuid VARCHAR(36) NOT NULL,
    instance_uuid VARCHAR(36) NOT NULL,
    project_id VARCHAR(64) NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    source_compute VARCHAR(255) NOT NULL,
    dest_compute VARCHAR(255) NULL,
    old_instance_type_id INTEGER NOT NULL,
    new_instance_type_id INTEGER NOT NULL,
    old_memory_mb INTEGER NOT NULL,
    old_vcpus INTEGER NOT NULL,
    old_root_gb INTEGER NOT NULL,
    new_memory_mb INTEGER NOT NULL,
    new_vcpus INTEGER NOT NULL,
    new_root_gb INTEGER NOT NULL,
    old_vm_state VARCHAR(32) NOT NULL,
    migration_type VARCHAR(16) NOT NULL,
    status VARCHAR(32) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL
){{table_options}};
CREATE UNIQUE INDEX IF NOT EXISTS migrations_uuid ON migrations (uuid);
CREATE INDEX IF NOT EXISTS migrations_instance ON migrations (instance_uuid, status);
CREATE INDEX IF NOT EXISTS migrations_source ON migrations (source_compute, status);
CREATE TABLE IF NOT EXISTS shelved_instances (
    instance_uuid VARCHAR(36) NOT NULL PRIMARY KEY,
    image_id VARCHAR(36) NOT NULL,
    shelved_at DATETIME(6) NOT NULL
);
