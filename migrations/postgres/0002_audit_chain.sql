-- The audit chain head: one row, updated in the same transaction as every append, so that appends are
-- serialised (row lock on PostgreSQL, the single writer on SQLite) and the chain can never fork.
CREATE TABLE audit_chain_head (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    last_id     BIGINT NOT NULL,
    last_hash   TEXT NOT NULL,
    -- HMAC (audit subkey) over last_id and last_hash: the head cannot be rewritten to hide a cut tail.
    seal        TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, last_id, last_hash, updated_at)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', '');
