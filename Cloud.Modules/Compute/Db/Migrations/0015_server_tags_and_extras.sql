-- What the Compute API's later microversions keep per server: its tags (2.26; at most 50, each at most 60 characters)
-- and the extras nova keeps beside the instance row: the guest's hostname (2.90 sets it), the trusted image
-- certificate ids (2.63, a JSON list) and OS-DCF:diskConfig (AUTO or MANUAL).
CREATE TABLE IF NOT EXISTS instance_tags (
    instance_uuid VARCHAR(36) NOT NULL,
    tag VARCHAR(60) NOT NULL,
    PRIMARY KEY (instance_uuid, tag)
){{table_options}};
CREATE TABLE IF NOT EXISTS instance_extras (
    instance_uuid VARCHAR(36) NOT NULL PRIMARY KEY,
    hostname VARCHAR(63) NULL,
    trusted_certs TEXT NULL,
    disk_config VARCHAR(8) NOT NULL DEFAULT 'MANUAL'
){{table_options}};
