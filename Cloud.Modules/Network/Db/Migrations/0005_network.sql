-- Network: nova-network's networks and their fixed IPs. `manage network create` fills fixed_ips with one row
-- per address of each network; the network, gateway, broadcast and the addresses below dhcp_start are
-- `reserved` and never handed out. allocate_for_instance sets instance_uuid/allocated and the instance's MAC;
-- dnsmasq's lease callbacks set leased; deallocate clears the row back to free. address_index is the address's
-- offset in its network (0 = the network address), so "the first free address" is numeric, not textual, order.
CREATE TABLE IF NOT EXISTS networks (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    label VARCHAR(255) NOT NULL,
    cidr VARCHAR(43) NOT NULL,
    netmask VARCHAR(39) NOT NULL,
    gateway VARCHAR(39) NOT NULL,
    broadcast VARCHAR(39) NOT NULL,
    dns1 VARCHAR(39) NULL,
    bridge VARCHAR(15) NOT NULL,
    bridge_interface VARCHAR(255) NULL,
    dhcp_start VARCHAR(39) NOT NULL,
    project_id VARCHAR(64) NULL,
    host VARCHAR(255) NULL,
    created_at DATETIME(6) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS networks_cidr ON networks (cidr);
CREATE TABLE IF NOT EXISTS fixed_ips (
    address VARCHAR(39) NOT NULL PRIMARY KEY,
    network_id VARCHAR(36) NOT NULL,
    address_index INTEGER NOT NULL DEFAULT 0,
    instance_uuid VARCHAR(36) NULL,
    mac_address VARCHAR(17) NULL,
    hostname VARCHAR(255) NULL,
    reserved INTEGER NOT NULL DEFAULT 0,
    allocated INTEGER NOT NULL DEFAULT 0,
    leased INTEGER NOT NULL DEFAULT 0,
    updated_at DATETIME(6) NULL
);
CREATE INDEX IF NOT EXISTS fixed_ips_network ON fixed_ips (network_id, allocated, reserved, address_index);
CREATE UNIQUE INDEX IF NOT EXISTS fixed_ips_mac ON fixed_ips (mac_address);
CREATE INDEX IF NOT EXISTS fixed_ips_instance ON fixed_ips (instance_uuid);
