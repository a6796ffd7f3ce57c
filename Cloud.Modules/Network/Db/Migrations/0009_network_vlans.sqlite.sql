-- VlanManager: a network's VLAN id (the VNI of its VXLAN link; br<vlan> is its bridge), one network per project and one
-- per VLAN, and each network or compute host's underlay address, which its VXLAN peers send to (the services table
-- says which hosts are up; it holds no addresses).
ALTER TABLE networks ADD COLUMN vlan INTEGER NULL;
CREATE UNIQUE INDEX IF NOT EXISTS networks_vlan ON networks (vlan);
CREATE UNIQUE INDEX IF NOT EXISTS networks_project ON networks (project_id);
CREATE TABLE IF NOT EXISTS network_underlay (
    host VARCHAR(255) NOT NULL PRIMARY KEY,
    address VARCHAR(39) NOT NULL,
    updated_at DATETIME(6) NOT NULL
);
