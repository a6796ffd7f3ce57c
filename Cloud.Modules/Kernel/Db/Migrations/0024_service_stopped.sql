-- A service that stopped cleanly says so (stopped = 1) instead of leaving a fresh heartbeat behind that would keep it
-- "up" for service_down_time: the scheduler stops placing on it at once. The next heartbeat clears it.
ALTER TABLE services {{add_column}} stopped BOOLEAN NOT NULL DEFAULT 0;
