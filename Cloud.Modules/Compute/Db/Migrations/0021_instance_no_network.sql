-- A server asked with networks "none" (Compute API 2.37) gets no NIC: no fixed IP is allocated for it, at boot or on a move.
ALTER TABLE instances {{add_column}} no_network BOOLEAN NOT NULL DEFAULT 0;
