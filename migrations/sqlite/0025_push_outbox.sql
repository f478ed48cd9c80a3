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
    last_error      TEXT,
    answer          TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (record_kind, record_id, version, action)
);
CREATE INDEX push_outbox_state ON push_outbox(record_kind, state, id);

-- The sender's schedule per record kind (docs/domain.md §12: the frequency is configurable, daily by
-- default). A kind without a row is pushed on the default schedule. `next_push_at` is claimed with a
-- compare-and-set, so two instances never send one kind at once; after a failed send it holds the
-- retry time (exponential backoff over `failures`), so messages keep their order.
CREATE TABLE push_schedules (
    record_kind  TEXT PRIMARY KEY,
    frequency    TEXT NOT NULL DEFAULT 'daily',
    next_push_at TEXT,
    failures     BIGINT NOT NULL DEFAULT 0,
    last_run_at  TEXT,
    last_error   TEXT
);

-- The province's answers about subjects our 法人库 lacks (上级平台服务), kept for the configured
-- lifetime (APP_PROVINCE_CACHE_MINUTES). `answer` is the province's JSON; NULL when it has no such subject.
CREATE TABLE upstream_cache (
    uscc       TEXT PRIMARY KEY,
    answer     TEXT,
    fetched_at TEXT NOT NULL
);
