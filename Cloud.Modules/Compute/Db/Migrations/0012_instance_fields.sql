-- What the Compute API keeps per server beyond the seed's columns: the description (2.19), the access IPs a user sets
-- (accessIPv4/v6), and the lock (lock/unlock, who locked it: owner or admin, and why, 2.73).
ALTER TABLE instances {{add_column}} description TEXT NULL;
ALTER TABLE instances {{add_column}} access_ip_v4 VARCHAR(39) NULL;
ALTER TABLE instances {{add_column}} access_ip_v6 VARCHAR(39) NULL;
ALTER TABLE instances {{add_column}} locked BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE instances {{add_column}} locked_by VARCHAR(16) NULL;
ALTER TABLE instances {{add_column}} locked_reason TEXT NULL;
