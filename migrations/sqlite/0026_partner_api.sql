-- The partner API (issue 22, docs/domain.md §12): keys read data classes (scopes `read:<class>`) and
-- issue reports (`report`) besides submitting; each key has its own rate limit, and every request a
-- key makes is logged for the security admin (who, what, when, how many rows).

-- Requests per minute this key may make; NULL takes the platform's default (APP_API_RATE_PER_MIN).
ALTER TABLE api_keys ADD COLUMN rate_per_min BIGINT;

CREATE TABLE api_access_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key_id     BIGINT NOT NULL REFERENCES api_keys(id),
    at         TEXT NOT NULL,
    method     TEXT NOT NULL,
    -- The path and query as asked, cut to 300 characters.
    path       TEXT NOT NULL,
    status     BIGINT NOT NULL,
    -- Records, subjects or changes the answer carried (0 for a refusal).
    rows_out   BIGINT NOT NULL DEFAULT 0,
    ip         TEXT,
    millis     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_access_log_key ON api_access_log(key_id, id);
CREATE INDEX api_access_log_at ON api_access_log(at);

-- A partner system's key issues reports for a service matter too (`POST /api/v1/reports`): the request
-- log names its channel 'api'. SQLite cannot change a CHECK in place: the table is rebuilt.
CREATE TABLE credit_reports_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    serial        TEXT NOT NULL UNIQUE,
    verify_code   TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('public', 'special')),
    subject_id    BIGINT NOT NULL REFERENCES subjects(id),
    subject_name  TEXT NOT NULL,
    subject_code  TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL CHECK (channel IN ('public', 'staff', 'api')),
    applicant     TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    matter        TEXT NOT NULL DEFAULT '',
    user_id       BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    period_from   TEXT NOT NULL,
    period_to     TEXT NOT NULL,
    content       TEXT NOT NULL,            -- JSON: the sections and records as printed
    pdf           BLOB NOT NULL,
    pdf_sha256    TEXT NOT NULL,            -- of the signed bytes
    signature     TEXT NOT NULL,            -- Ed25519 over the hash, base64
    issued_at     TEXT NOT NULL
);
INSERT INTO credit_reports_new SELECT * FROM credit_reports;
DROP TABLE credit_reports;
ALTER TABLE credit_reports_new RENAME TO credit_reports;
CREATE INDEX credit_reports_subject ON credit_reports(subject_id);
CREATE INDEX credit_reports_issued ON credit_reports(issued_at);
