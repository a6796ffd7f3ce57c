-- The image registry (glance's images, image_properties, image_tags and image_members tables).
-- Deleted images keep their row (deleted = 1) so an id is never reused; location is the store URI.
CREATE TABLE IF NOT EXISTS images (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    name VARCHAR(255) NULL,
    status VARCHAR(30) NOT NULL,
    visibility VARCHAR(20) NOT NULL,
    owner VARCHAR(64) NULL,
    size BIGINT NULL,
    virtual_size BIGINT NULL,
    checksum VARCHAR(32) NULL,
    os_hash_algo VARCHAR(64) NULL,
    os_hash_value VARCHAR(128) NULL,
    disk_format VARCHAR(20) NULL,
    container_format VARCHAR(20) NULL,
    min_disk INTEGER NOT NULL DEFAULT 0,
    min_ram INTEGER NOT NULL DEFAULT 0,
    protected BOOLEAN NOT NULL DEFAULT 0,
    location TEXT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    deleted_at DATETIME(6) NULL,
    deleted BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS images_owner ON images (owner);
CREATE INDEX IF NOT EXISTS images_visibility ON images (visibility, deleted);
CREATE INDEX IF NOT EXISTS images_created_at ON images (created_at);
CREATE INDEX IF NOT EXISTS images_name ON images (name);
CREATE TABLE IF NOT EXISTS image_properties (
    image_id VARCHAR(36) NOT NULL,
    name VARCHAR(255) NOT NULL,
    value VARCHAR(255) NOT NULL,
    PRIMARY KEY (image_id, name)
);
CREATE TABLE IF NOT EXISTS image_tags (
    image_id VARCHAR(36) NOT NULL,
    value VARCHAR(255) NOT NULL,
    PRIMARY KEY (image_id, value)
);
CREATE TABLE IF NOT EXISTS image_members (
    image_id VARCHAR(36) NOT NULL,
    member VARCHAR(64) NOT NULL,
    status VARCHAR(20) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (image_id, member)
);
CREATE INDEX IF NOT EXISTS image_members_member ON image_members (member, status);
