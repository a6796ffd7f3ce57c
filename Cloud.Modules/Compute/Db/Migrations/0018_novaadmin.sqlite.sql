-- What the Compute admin APIs keep: a flavor's API id (nova's flavorid: a string, "1" for the seed's), swap, ephemeral
-- disk, rxtx_factor, public/private, disabled and description (2.55), its extra specs and the projects a private one is
-- shared with; a service's disable reason and forced-down flag (os-services); and the quota classes
-- (os-quota-class-sets: the "default" class overrides the quota_* flags for every project without its own value).
ALTER TABLE flavors ADD COLUMN flavorid VARCHAR(255) NULL;
ALTER TABLE flavors ADD COLUMN swap INTEGER NOT NULL DEFAULT 0;
ALTER TABLE flavors ADD COLUMN ephemeral_gb INTEGER NOT NULL DEFAULT 0;
ALTER TABLE flavors ADD COLUMN rxtx_factor DOUBLE NOT NULL DEFAULT 1;
ALTER TABLE flavors ADD COLUMN is_public BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE flavors ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE flavors ADD COLUMN description TEXT NULL;
UPDATE flavors SET flavorid = CAST(id AS TEXT) WHERE flavorid IS NULL;
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
ALTER TABLE services ADD COLUMN disabled_reason VARCHAR(255) NULL;
ALTER TABLE services ADD COLUMN forced_down BOOLEAN NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS quota_classes (
    class_name VARCHAR(255) NOT NULL,
    resource VARCHAR(255) NOT NULL,
    hard_limit INTEGER NOT NULL,
    PRIMARY KEY (class_name, resource)
);
