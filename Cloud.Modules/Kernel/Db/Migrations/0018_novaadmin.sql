-- os-services: why an operator disabled a service (disabled_reason) and whether it is forced down (forced_down:
-- treated as down whatever its heartbeat says, so instances can be evacuated at once).
ALTER TABLE services {{add_column}} disabled_reason VARCHAR(255) NULL;
ALTER TABLE services {{add_column}} forced_down BOOLEAN NOT NULL DEFAULT 0;
