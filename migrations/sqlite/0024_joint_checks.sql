-- 联合奖惩 checks (issue 21, docs/domain.md §8): every check of a subject for a service matter, with
-- what it found and the handler's feedback. The hits and measures are kept as they were answered (JSON),
-- so a later change to a list entry or a measure never rewrites what a check said.
CREATE TABLE joint_check_batches (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id     TEXT NOT NULL UNIQUE,
    matter_id     BIGINT NOT NULL REFERENCES matters(id),
    department_id BIGINT NOT NULL REFERENCES departments(id),
    user_id       BIGINT REFERENCES users(id),
    file_name     TEXT NOT NULL,
    -- 'queued', 'running', 'done', 'failed'
    status        TEXT NOT NULL,
    rows_total    BIGINT NOT NULL DEFAULT 0,
    rows_done     BIGINT NOT NULL DEFAULT 0,
    rows_hit      BIGINT NOT NULL DEFAULT 0,
    rows_faulty   BIGINT NOT NULL DEFAULT 0,
    message       TEXT,
    created_at    TEXT NOT NULL,
    finished_at   TEXT
);

CREATE TABLE joint_checks (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id        TEXT NOT NULL UNIQUE,
    matter_id        BIGINT NOT NULL REFERENCES matters(id),
    -- The matter's department: the handler's unit, whose feedback is awaited.
    department_id    BIGINT NOT NULL REFERENCES departments(id),
    -- 'console', 'api', 'embed', 'batch'
    channel          TEXT NOT NULL,
    user_id          BIGINT REFERENCES users(id),
    api_key_id       BIGINT REFERENCES api_keys(id),
    batch_id         BIGINT REFERENCES joint_check_batches(id),
    -- The row of the batch's spreadsheet.
    row_no           BIGINT,
    checked_by       TEXT NOT NULL,
    -- 'uscc', 'id_number', 'name'; an ID number is kept encrypted, hashed and masked, never in clear.
    subject_kind     TEXT NOT NULL,
    subject_shown    TEXT NOT NULL,
    subject_id_enc   TEXT,
    subject_id_hmac  TEXT,
    subject_id       BIGINT REFERENCES subjects(id),
    subject_name     TEXT NOT NULL,
    checked_on       TEXT NOT NULL,
    checked_at       TEXT NOT NULL,
    hit_count        BIGINT NOT NULL,
    hits             TEXT NOT NULL,
    measures         TEXT NOT NULL,
    feedback_due     TEXT,
    feedback_at      TEXT,
    feedback_by      TEXT,
    applied          BIGINT,
    applied_measures TEXT,
    result           TEXT,
    reason           TEXT,
    -- When the overdue chase went to the department (once).
    chased_at        TEXT
);
-- A batch's rows still to check, and those that could not be (fault set). An ID number is kept only
-- encrypted here too.
CREATE TABLE joint_check_batch_rows (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id      BIGINT NOT NULL REFERENCES joint_check_batches(id),
    row_no        BIGINT NOT NULL,
    subject_kind  TEXT NOT NULL,
    -- A code or a name as given; for an ID number its encryption.
    subject_value TEXT NOT NULL,
    subject_shown TEXT NOT NULL,
    fault         TEXT
);
CREATE INDEX joint_check_batch_rows_batch ON joint_check_batch_rows(batch_id, row_no);

CREATE INDEX joint_checks_department ON joint_checks(department_id, checked_on);
CREATE INDEX joint_checks_matter ON joint_checks(matter_id, checked_on);
CREATE INDEX joint_checks_batch ON joint_checks(batch_id);
CREATE INDEX joint_checks_awaiting ON joint_checks(feedback_due) WHERE feedback_at IS NULL AND feedback_due IS NOT NULL;

-- Origins (space-separated, such as https://zwfw.example.gov.cn) whose pages may frame the department's
-- embedded check page (/embed/check): its Content-Security-Policy frame-ancestors.
ALTER TABLE departments ADD COLUMN embed_origins TEXT NOT NULL DEFAULT '';

-- Tickets for the embedded check page: a unit's system asks for one with its check key and puts it in
-- the page it frames (a bearer credential for a few hours; only its hash is kept). The handler named
-- is who the checks are logged for.
CREATE TABLE embed_tickets (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_hash   TEXT NOT NULL UNIQUE,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    api_key_id    BIGINT NOT NULL REFERENCES api_keys(id),
    handler       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
