-- Cases (issue 20, DOMAIN §10, §11): credit repair now, objections and complaints on the same engine.
-- A case concerns one record; its state and moves follow app/src/cases/flow.rs, its deadlines (working
-- days, §13a) app/src/cases/deadline.rs. The applicant's contact is stored encrypted with the ID-number
-- key and shown masked; the tracking code (16 characters, 74 bits of randomness) is how the applicant
-- follows the case without an account.
CREATE TABLE cases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id       TEXT NOT NULL UNIQUE,
    tracking_code   TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('repair', 'objection', 'complaint')),
    state           TEXT NOT NULL,
    record_kind     TEXT NOT NULL,                -- 'penalty', …
    record_id       BIGINT NOT NULL,
    record_public_id TEXT NOT NULL,
    subject_name    TEXT NOT NULL,
    subject_uscc    TEXT NOT NULL,
    department_id   BIGINT REFERENCES departments(id),   -- the unit handling it (the record's source unit)
    county_code     TEXT,                         -- the subject's county, for county users
    applicant_name  TEXT NOT NULL,
    contact_enc     TEXT NOT NULL,
    contact_masked  TEXT NOT NULL,
    by_agent        BIGINT NOT NULL DEFAULT 0,
    details         TEXT NOT NULL DEFAULT '{}',   -- kind-specific JSON (commitment text, certificate …)
    step            TEXT,
    step_started_on TEXT,
    step_due_on     TEXT,
    result_due_on   TEXT,
    paused_since    TEXT,
    paused_days     BIGINT NOT NULL DEFAULT 0,
    extended        BIGINT NOT NULL DEFAULT 0,
    extend_reason   TEXT,
    submitted_on    TEXT NOT NULL,                -- Beijing date
    closed_at       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX cases_state ON cases(kind, state);
CREATE INDEX cases_department ON cases(department_id, state);
CREATE INDEX cases_county ON cases(county_code, state);
CREATE INDEX cases_record ON cases(record_kind, record_id);

-- Every move: when, who ("申请人" for the applicant), from and to, and its text. `public` says whether
-- the applicant's tracking page shows the text.
CREATE TABLE case_steps (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    move        TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    actor_id    BIGINT REFERENCES users(id),
    actor_name  TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    public      BIGINT NOT NULL DEFAULT 1,
    department_id BIGINT REFERENCES departments(id),
    at          TEXT NOT NULL
);
CREATE INDEX case_steps_case ON case_steps(case_id, id);

-- Materials: stored by the CMS's content-checked upload store (`uploads`, by hash).
CREATE TABLE case_files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id     TEXT NOT NULL UNIQUE,
    case_id       BIGINT NOT NULL REFERENCES cases(id),
    step_id       BIGINT REFERENCES case_steps(id),
    purpose       TEXT NOT NULL CHECK (purpose IN ('proof', 'authorisation', 'supplement')),
    file_name     TEXT NOT NULL,
    original_name TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX case_files_case ON case_files(case_id, id);

-- A repair approval is a version of the record (so the push to the province sees it): the action list
-- gains 'repair'. SQLite cannot alter a CHECK: the table is rebuilt (nothing references it).
CREATE TABLE record_versions_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    record_kind TEXT NOT NULL,
    record_id   BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('update', 'withdraw', 'correct', 'restore', 'repair')),
    batch_id    BIGINT REFERENCES batches(id),
    actor_id    BIGINT REFERENCES users(id),
    actor_name  TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    changes     TEXT NOT NULL,
    at          TEXT NOT NULL,
    UNIQUE (record_kind, record_id, version)
);
INSERT INTO record_versions_new (id, record_kind, record_id, version, action, batch_id, actor_id, actor_name,
    reason, changes, at)
    SELECT id, record_kind, record_id, version, action, batch_id, actor_id, actor_name, reason, changes, at
    FROM record_versions;
DROP TABLE record_versions;
ALTER TABLE record_versions_new RENAME TO record_versions;

-- The 信用修复 column opens the service page, which links the guides and the tracking page.
UPDATE site_columns SET link_path = '/repair' WHERE code = 'repair' AND link_path IS NULL;
