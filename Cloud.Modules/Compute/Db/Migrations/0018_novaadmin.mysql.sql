-- What the Compute admin APIs keep of flavors: the API id (nova's flavorid: a string, "1" for the seed's), swap, ephemeral
-- disk, rxtx_factor, public/private, disabled and description (2.55), the extra specs and the projects a private one is
-- shared with. (Migration 0018's other parts: Kernel's services, Identity's quota_classes.)
ALTER TABLE flavors ADD COLUMN IF NOT EXISTS flavorid VARCHAR(255) NULL;
ALTER TABLE flavors ADD COLUMN IF NOT EXISTS swap INTEGER NOT NULL DEFAULT 0;
ALTER TABLE flavors ADD COLUMN IF NOT EXISTS ephemeral_gb INTEGER NOT NULL DEFAULT 0;
ALTER TABLE flavors ADD COLUMN IF NOT EXISTS rxtx_factor DOUBLE NOT NULL DEFAULT 1;
ALTER TABLE flavors ADD COLUMN IF NOT EXISTS is_public BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE flavors ADD COLUMN IF NOT EXISTS disabled BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE flavors ADD COLUMN IF NOT EXISTS description TEXT NULL;
UPDATE flavors SET flavorid = CAST(id AS CHAR) WHERE flavorid IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS flavors_flavorid ON flavors (flavorid);
CREATE TABLE IF NOT EXISTS flavor_extra_specs (
    flavor_id INTEGER NOT NULL,
    `key` VARCHAR(255) NOT NULL,
    value VARCHAR(255) NOT NULL,
    PRIMARY KEY (flavor_id, `key`)
);
CREATE TABLE IF NOT EXISTS flavor_projects (
    flavor_id INTEGER NOT NULL,
    project_id VARCHAR(255) NOT NULL,
    PRIMARY KEY (flavor_id, project_id)
);
