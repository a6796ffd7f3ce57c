-- Network: nova-network's floating IPs. `manage floating create` adds one row per address of a range, in a pool
-- (default --default_floating_pool) bound to an interface (default --public_interface). A project allocates a
-- row (project_id), associates it with an instance's fixed IP (fixed_address, instance_uuid, and host: the network
-- host that serves the fixed IP's network and carries the address and its NAT rules). auto_assigned rows were
-- given by --auto_assign_floating_ip, do not count against the quota and are released with their instance.
-- id is the integer nova's os-floating-ips shows; manage assigns it (max + 1), so no dialect's auto-increment is needed.
CREATE TABLE IF NOT EXISTS floating_ips (
    id INTEGER NOT NULL PRIMARY KEY,
    address VARCHAR(39) NOT NULL,
    pool VARCHAR(255) NOT NULL,
    interface VARCHAR(15) NOT NULL,
    project_id VARCHAR(64) NULL,
    fixed_address VARCHAR(39) NULL,
    instance_uuid VARCHAR(36) NULL,
    host VARCHAR(255) NULL,
    auto_assigned INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS floating_ips_address ON floating_ips (address);
CREATE INDEX IF NOT EXISTS floating_ips_project ON floating_ips (project_id);
CREATE INDEX IF NOT EXISTS floating_ips_instance ON floating_ips (instance_uuid);
CREATE INDEX IF NOT EXISTS floating_ips_host ON floating_ips (host);
