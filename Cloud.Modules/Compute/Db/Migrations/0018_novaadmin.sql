-- What the Compute admin APIs keep of flavors: the API id (nova's flavorid: a string, "1" for the seed's), swap, ephemeral
-- disk, rxtx_factor, public/private, disabled and description (2.55), the extra specs and the projects a private one is
-- shared with. (Migration 0018's other parts: Kernel's services, Identity's quota_classes.)
ALTER TABLE flavors {{add_column}} flavorid VARCHAR(255) NULL;
ALTER TABLE flavors {{add_column}} swap INTEGER NOT NULL DEFAULT 0;
ALTER TABLE flavors {{add_column}} ephemeral_gb INTEGER NOT NULL DEFAULT 0;
ALTER TABLE flavors {{add_column}} rxtx_factor DOUBLE NOT NULL DEFAULT 1;
ALTER TABLE flavors {{add_column}} is_public BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE flavors {{add_column}} disabled BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE flavors {{add_column}} description TEXT NULL;
UPDATE flavors SET flavorid = CAST(id AS {{cast_text}}) WHERE flavorid IS NULL;
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
