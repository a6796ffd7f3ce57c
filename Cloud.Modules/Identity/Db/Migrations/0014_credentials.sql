-- Keystone's delegated credentials. Application credentials: a secret (stored hashed, shown once) that authenticates
-- as its user in one project with a subset of the user's roles there, until expires_at; a restricted one cannot make
-- more of them. Access rules (service, method, path) are the user's, shared by the credentials that name them.
-- EC2 credentials: an access/secret pair bound to a project, which the EC2 API verifies signatures with (the secret
-- is kept in clear: AWS signatures are HMACs keyed with it).
CREATE TABLE IF NOT EXISTS application_credentials (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    secret_hash VARCHAR(255) NOT NULL,
    description TEXT NULL,
    user_id VARCHAR(64) NOT NULL,
    project_id VARCHAR(64) NULL,
    expires_at DATETIME(6) NULL,
    unrestricted BOOLEAN NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL
){{table_options}};
CREATE UNIQUE INDEX IF NOT EXISTS application_credentials_user_name ON application_credentials (user_id, name);
CREATE TABLE IF NOT EXISTS application_credential_roles (
    application_credential_id VARCHAR(64) NOT NULL,
    role VARCHAR(255) NOT NULL,
    PRIMARY KEY (application_credential_id, role)
){{table_options}};
CREATE TABLE IF NOT EXISTS access_rules (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id VARCHAR(64) NOT NULL,
    service VARCHAR(64) NOT NULL,
    path VARCHAR(225) NOT NULL,
    method VARCHAR(16) NOT NULL
){{table_options}};
CREATE UNIQUE INDEX IF NOT EXISTS access_rules_user_rule ON access_rules (user_id, service, path, method);
CREATE TABLE IF NOT EXISTS application_credential_access_rules (
    application_credential_id VARCHAR(64) NOT NULL,
    access_rule_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (application_credential_id, access_rule_id)
){{table_options}};
CREATE INDEX IF NOT EXISTS application_credential_access_rules_rule ON application_credential_access_rules (access_rule_id);
CREATE TABLE IF NOT EXISTS ec2_credentials (
    access VARCHAR(64) NOT NULL PRIMARY KEY,
    secret VARCHAR(64) NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    project_id VARCHAR(64) NOT NULL,
    created_at DATETIME(6) NOT NULL
){{table_options}};
CREATE INDEX IF NOT EXISTS ec2_credentials_user ON ec2_credentials (user_id);
