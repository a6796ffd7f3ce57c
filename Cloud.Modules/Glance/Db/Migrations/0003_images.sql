-- The image registry (glance's images, image_properties, image_tags and image_members tables).
-- Deleted images keep their row (deleted = 1) so an id is never reused; location is the store URI.
CREATE TABLE images (
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
CREATE INDEX images_owner ON images (owner);
CREATE INDEX images_visibility ON images (visibility, deleted);
CREATE INDEX images_created_at ON images (created_at);
CREATE INDEX images_name ON images (name);
CREATE TABLE image_properties (
    image_id VARCHAR(36) NOT NULL,
    name VARCHAR(255) NOT NULL,
    value VARCHAR(255) NOT NULL,
    PRIMARY KEY (image_id, name)
);
CREATE TABLE image_tags (
    image_id VARCHAR(36) NOT NULL,
    value VARCHAR(255) NOT NULL,
    PRIMARY KEY (image_id, value)
);
CREATE TABLE image_members (
    image_id VARCHAR(36) NOT NULL,
    member VARCHAR(64) NOT NULL,
    status VARCHAR(20) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (image_id, member)
);
CREATE INDEX image_members_member ON image_members (member, status);
