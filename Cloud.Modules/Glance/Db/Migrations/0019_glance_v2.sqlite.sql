-- Glance v2 beyond the seed: hidden images (os_hidden), tasks (interoperable image import), and the metadata
-- definitions catalog (metadefs: namespaces with their objects, properties and tags, resource types and associations).
-- Metadef objects and properties keep their JSON-schema body as JSON text: only the API reads inside it.
ALTER TABLE images ADD COLUMN os_hidden BOOLEAN NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS tasks (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    type VARCHAR(30) NOT NULL,
    status VARCHAR(30) NOT NULL,
    owner VARCHAR(64) NOT NULL,
    input TEXT NOT NULL,
    result TEXT NULL,
    message TEXT NOT NULL,
    image_id VARCHAR(36) NULL,
    request_id VARCHAR(64) NULL,
    user_id VARCHAR(64) NULL,
    expires_at DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_owner ON tasks (owner, created_at);
CREATE INDEX IF NOT EXISTS tasks_image ON tasks (image_id);
CREATE TABLE IF NOT EXISTS metadef_namespaces (
    namespace VARCHAR(80) NOT NULL PRIMARY KEY,
    display_name VARCHAR(80) NULL,
    description TEXT NULL,
    visibility VARCHAR(32) NOT NULL,
    protected BOOLEAN NOT NULL DEFAULT 0,
    owner VARCHAR(255) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL
);
CREATE TABLE IF NOT EXISTS metadef_resource_types (
    name VARCHAR(80) NOT NULL PRIMARY KEY,
    protected BOOLEAN NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL
);
CREATE TABLE IF NOT EXISTS metadef_namespace_resource_types (
    namespace VARCHAR(80) NOT NULL,
    resource_type VARCHAR(80) NOT NULL,
    properties_target VARCHAR(80) NULL,
    prefix VARCHAR(80) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (namespace, resource_type)
);
CREATE TABLE IF NOT EXISTS metadef_objects (
    namespace VARCHAR(80) NOT NULL,
    name VARCHAR(80) NOT NULL,
    body TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (namespace, name)
);
CREATE TABLE IF NOT EXISTS metadef_properties (
    namespace VARCHAR(80) NOT NULL,
    name VARCHAR(255) NOT NULL,
    body TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (namespace, name)
);
CREATE TABLE IF NOT EXISTS metadef_tags (
    namespace VARCHAR(80) NOT NULL,
    name VARCHAR(255) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (namespace, name)
);
