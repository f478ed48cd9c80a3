-- The push to the provincial platform (issue 22, docs/domain.md §12), first part: the outbox. Every
-- published record version becomes a message in the transaction of the change (publication, update,
-- correction, withdrawal, repair, take-down, a list entry's end); a sender delivers them. The message's
-- idempotency key is its record, version and action: a message is enqueued once.
CREATE TABLE push_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- 'penalty', 'licence', or a generic record's class (as the version trace names it).
    record_kind     TEXT NOT NULL,
    record_id       BIGINT NOT NULL,
    version         BIGINT NOT NULL,
    -- 'create', 'update', 'correct', 'withdraw', 'restore', 'repair', 'takedown'
    action          TEXT NOT NULL,
    department_id   BIGINT REFERENCES departments(id),
    -- 'pending', 'sent', 'parked' (refused by the province, with its answer)
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error      TEXT,
    answer          TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (record_kind, record_id, version, action)
);
CREATE INDEX push_outbox_state ON push_outbox(state, id);
