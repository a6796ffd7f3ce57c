-- Keystone v3's identity model: domains (Default and more), projects in a domain under a parent with tags and an
-- enabled flag, users in a domain with enabled, default project, email and description, groups and their members,
-- roles with implied roles, and role assignments of users and groups on projects, domains and the system.
ALTER TABLE projects {{add_column}} domain_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE projects {{add_column}} parent_id VARCHAR(64) NULL;
ALTER TABLE projects {{add_column}} enabled BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE users {{add_column}} domain_id VARCHAR(64) NOT NULL DEFAULT 'default';
ALTER TABLE users {{add_column}} enabled BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE users {{add_column}} default_project_id VARCHAR(64) NULL;
ALTER TABLE users {{add_column}} email VARCHAR(255) NULL;
ALTER TABLE users {{add_column}} description TEXT NULL;
CREATE TABLE IF NOT EXISTS domains (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    name VARCHAR(64) NOT NULL,
    description TEXT NULL,
    enabled BOOLEAN NOT NULL DEFAULT 1,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS domains_name ON domains (name);
INSERT INTO domains (id, name, description, enabled, created_at, updated_at)
SELECT 'default', 'Default', 'The default domain', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
WHERE NOT EXISTS (SELECT 1 FROM domains WHERE id = 'default');
CREATE TABLE IF NOT EXISTS project_tags (
    project_id VARCHAR(64) NOT NULL,
    name VARCHAR(255) NOT NULL,
    PRIMARY KEY (project_id, name)
);
CREATE TABLE IF NOT EXISTS identity_groups (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    domain_id VARCHAR(64) NOT NULL,
    name VARCHAR(64) NOT NULL,
    description TEXT NULL,
    created_at DATETIME(6) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS identity_groups_name ON identity_groups (domain_id, name);
CREATE TABLE IF NOT EXISTS user_group_membership (
    user_id VARCHAR(64) NOT NULL,
    group_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (user_id, group_id)
);
CREATE INDEX IF NOT EXISTS user_group_membership_group ON user_group_membership (group_id);
CREATE TABLE IF NOT EXISTS roles (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    description TEXT NULL,
    created_at DATETIME(6) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS roles_name ON roles (name);
CREATE TABLE IF NOT EXISTS implied_roles (
    prior_role_id VARCHAR(64) NOT NULL,
    implied_role_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (prior_role_id, implied_role_id)
);
-- Keystone's assignment table: type is UserProject, GroupProject, UserDomain, GroupDomain, UserSystem or GroupSystem
-- (the target of a system assignment is 'all').
CREATE TABLE IF NOT EXISTS role_assignments (
    type VARCHAR(16) NOT NULL,
    actor_id VARCHAR(64) NOT NULL,
    target_id VARCHAR(64) NOT NULL,
    role_id VARCHAR(64) NOT NULL,
    inherited BOOLEAN NOT NULL DEFAULT 0,
    PRIMARY KEY (type, actor_id, target_id, role_id, inherited)
);
CREATE INDEX IF NOT EXISTS role_assignments_target ON role_assignments (target_id);
CREATE INDEX IF NOT EXISTS role_assignments_role ON role_assignments (role_id);
-- The builtin roles (Keystone's admin, member, reader) and the seed's project roles, with fixed ids.
INSERT INTO roles (id, name, description, created_at) SELECT '8c867577dbdf431d9c3bad8477bdb1de', 'admin', NULL, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'admin');
INSERT INTO roles (id, name, description, created_at) SELECT '95a516d0d1064bc3b1d1f1ff0034f016', 'member', NULL, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'member');
INSERT INTO roles (id, name, description, created_at) SELECT '6ed361b1d358464185d70033647d3329', 'reader', NULL, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'reader');
INSERT INTO roles (id, name, description, created_at) SELECT 'a244d88daa434eecad24f95304bede02', 'projectmanager', NULL, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'projectmanager');
INSERT INTO roles (id, name, description, created_at) SELECT '198050fc67c0409c8c8cc30c9af087ed', 'netadmin', NULL, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'netadmin');
INSERT INTO roles (id, name, description, created_at) SELECT '38d45d943d094454af475d3a97b7fed6', 'sysadmin', NULL, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'sysadmin');
INSERT INTO roles (id, name, description, created_at) SELECT '6ee95b9c9e6f43448828d18b60047a52', 'developer', NULL, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'developer');
INSERT INTO roles (id, name, description, created_at) SELECT 'de02845998cb4ea4ada5193090c2e3c3', 'itsec', NULL, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'itsec');
INSERT INTO roles (id, name, description, created_at) SELECT '33b74c9660d24500a7f360bdf833075b', 'cloudadmin', NULL, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'cloudadmin');
INSERT INTO roles (id, name, description, created_at) SELECT '5ba8ea9e76d046ab92dc0217952737b3', 'image_reader', NULL, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'image_reader');
-- admin implies member, member implies reader (Keystone's bootstrap).
INSERT INTO implied_roles (prior_role_id, implied_role_id) SELECT '8c867577dbdf431d9c3bad8477bdb1de', '95a516d0d1064bc3b1d1f1ff0034f016'
WHERE NOT EXISTS (SELECT 1 FROM implied_roles WHERE prior_role_id = '8c867577dbdf431d9c3bad8477bdb1de' AND implied_role_id = '95a516d0d1064bc3b1d1f1ff0034f016');
INSERT INTO implied_roles (prior_role_id, implied_role_id) SELECT '95a516d0d1064bc3b1d1f1ff0034f016', '6ed361b1d358464185d70033647d3329'
WHERE NOT EXISTS (SELECT 1 FROM implied_roles WHERE prior_role_id = '95a516d0d1064bc3b1d1f1ff0034f016' AND implied_role_id = '6ed361b1d358464185d70033647d3329');
-- The nova-manage model moves onto assignments: membership is the member role, each granted role an assignment,
-- and a cloud admin (is_admin) holds admin on the system.
INSERT INTO role_assignments (type, actor_id, target_id, role_id, inherited)
SELECT 'UserProject', a.user_id, a.project_id, '95a516d0d1064bc3b1d1f1ff0034f016', 0 FROM user_project_association a
WHERE NOT EXISTS (SELECT 1 FROM role_assignments x WHERE x.type = 'UserProject' AND x.actor_id = a.user_id AND x.target_id = a.project_id
    AND x.role_id = '95a516d0d1064bc3b1d1f1ff0034f016' AND x.inherited = 0);
INSERT INTO role_assignments (type, actor_id, target_id, role_id, inherited)
SELECT 'UserProject', a.user_id, a.project_id, r.id, 0 FROM user_project_role_association a JOIN roles r ON r.name = a.role
WHERE NOT EXISTS (SELECT 1 FROM role_assignments x WHERE x.type = 'UserProject' AND x.actor_id = a.user_id AND x.target_id = a.project_id
    AND x.role_id = r.id AND x.inherited = 0);
INSERT INTO role_assignments (type, actor_id, target_id, role_id, inherited)
SELECT 'UserSystem', u.id, 'all', '8c867577dbdf431d9c3bad8477bdb1de', 0 FROM users u
WHERE u.is_admin = 1 AND NOT EXISTS (SELECT 1 FROM role_assignments x WHERE x.type = 'UserSystem' AND x.actor_id = u.id AND x.target_id = 'all'
    AND x.role_id = '8c867577dbdf431d9c3bad8477bdb1de' AND x.inherited = 0);
DROP TABLE IF EXISTS user_project_role_association;
DROP TABLE IF EXISTS user_project_association;
