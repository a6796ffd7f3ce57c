-- Glance v2 beyond the seed: hidden images (os_hidden) and image tasks (glance's tasks table: the api_image_import task of interoperable image
-- import; input and result are JSON text). The metadefs catalog is glance's shipped one, embedded, not a table.
ALTER TABLE images {{add_column}} os_hidden BOOLEAN NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS image_tasks (
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
CREATE INDEX IF NOT EXISTS image_tasks_owner ON image_tasks (owner, created_at);
CREATE INDEX IF NOT EXISTS image_tasks_image ON image_tasks (image_id);
