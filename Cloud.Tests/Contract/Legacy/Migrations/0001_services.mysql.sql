-- One row per running service (binary + host + topic), kept fresh by its heartbeat.
CREATE TABLE IF NOT EXISTS services (
    id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `binary` VARCHAR(255) NOT NULL,
    host VARCHAR(255) NOT NULL,
    topic VARCHAR(255) NOT NULL,
    availability_zone VARCHAR(255) NOT NULL DEFAULT 'nova',
    disabled BOOLEAN NOT NULL DEFAULT 0,
    report_count INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    UNIQUE KEY services_host_binary (host, `binary`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
