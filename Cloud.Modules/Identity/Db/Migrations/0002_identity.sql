-- Users, projects, membership, roles and quotas (the seed's nova tables), plus what tokens need:
-- the keys that sign them and the revocation events that end them early.
CREATE TABLE IF NOT EXISTS users (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    password_hash VARCHAR(255) NULL,
    access_key VARCHAR(255) NOT NULL,
    secret_key VARCHAR(255) NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS users_name ON users (name);
CREATE UNIQUE INDEX IF NOT EXISTS users_access_key ON users (access_key);
CREATE TABLE IF NOT EXISTS projects (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(255) NOT NULL DEFAULT '',
    project_manager VARCHAR(64) NOT NULL,
    ca_certificate TEXT NULL,
    ca_private_key TEXT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS projects_name ON projects (name);
CREATE TABLE IF NOT EXISTS user_project_association (
    user_id VARCHAR(64) NOT NULL,
    project_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (user_id, project_id)
);
CREATE TABLE IF NOT EXISTS user_project_role_association (
    user_id VARCHAR(64) NOT NULL,
    project_id VARCHAR(64) NOT NULL,
    role VARCHAR(64) NOT NULL,
    PRIMARY KEY (user_id, project_id, role)
);
CREATE TABLE IF NOT EXISTS quotas (
    project_id VARCHAR(64) NOT NULL,
    resource VARCHAR(64) NOT NULL,
    hard_limit BIGINT NOT NULL,
    PRIMARY KEY (project_id, resource)
);
CREATE TABLE IF NOT EXISTS token_signing_keys (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    secret VARCHAR(255) NOT NULL,
    created_at DATETIME(6) NOT NULL
);
CREATE TABLE IF NOT EXISTS token_revocations (
    kind VARCHAR(16) NOT NULL,
    subject VARCHAR(64) NOT NULL,
    revoked_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    PRIMARY KEY (kind, subject)
);
