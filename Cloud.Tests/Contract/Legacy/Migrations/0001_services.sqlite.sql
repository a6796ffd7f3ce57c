-- One row per running service (binary + host + topic), kept fresh by its heartbeat.
CREATE TABLE IF NOT EXISTS services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    `binary` VARCHAR(255) NOT NULL,
    host VARCHAR(255) NOT NULL,
    topic VARCHAR(255) NOT NULL,
    availability_zone VARCHAR(255) NOT NULL DEFAULT 'nova',
    disabled BOOLEAN NOT NULL DEFAULT 0,
    report_count INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS services_host_binary ON services (host, `binary`);
