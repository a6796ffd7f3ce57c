-- os-quota-class-sets: a quota class's values by resource; the "default" class overrides the quota_* flags for every
-- project without its own value.
CREATE TABLE IF NOT EXISTS quota_classes (
    class_name VARCHAR(255) NOT NULL,
    resource VARCHAR(255) NOT NULL,
    hard_limit INTEGER NOT NULL,
    PRIMARY KEY (class_name, resource)
);
