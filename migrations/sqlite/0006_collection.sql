-- Collection and cleaning (DOMAIN §5–7): the catalogue, batches with their faults, the version trace,
-- subject-name conflicts, API keys, generic records of operator-defined classes, and the columns the
-- pipeline needs on the typed record tables. Keep in step with ../postgres/0006_collection.sql.

CREATE TABLE data_classes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    storage     TEXT NOT NULL CHECK (storage IN ('typed', 'generic')),
    builtin     BIGINT NOT NULL DEFAULT 0,
    active      BIGINT NOT NULL DEFAULT 1,
    sort_order  BIGINT NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE class_fields (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id    BIGINT NOT NULL REFERENCES data_classes(id) ON DELETE CASCADE,
    field_key   TEXT NOT NULL,
    name        TEXT NOT NULL,
    code_v2     TEXT,
    codes_v1    TEXT NOT NULL DEFAULT '',   -- ';'-separated
    synonyms    TEXT NOT NULL DEFAULT '',   -- ';'-separated
    field_type  TEXT NOT NULL,
    requirement TEXT NOT NULL CHECK (requirement IN ('required', 'conditional', 'optional')),
    options     TEXT NOT NULL DEFAULT '',   -- ';'-separated, alias=value allowed
    max_len     BIGINT NOT NULL DEFAULT 200,
    sort_order  BIGINT NOT NULL DEFAULT 0,
    UNIQUE (class_id, field_key)
);

-- Rules an operator switched off for a class (only rules marked optional may be).
CREATE TABLE class_rule_overrides (
    class_id    BIGINT NOT NULL REFERENCES data_classes(id) ON DELETE CASCADE,
    rule_code   TEXT NOT NULL,
    enabled     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (class_id, rule_code)
);

-- Which unit supplies which class, how often, and (for scheduled exchange) from where.
CREATE TABLE class_sources (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id      BIGINT NOT NULL REFERENCES data_classes(id) ON DELETE CASCADE,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    frequency     TEXT NOT NULL CHECK (frequency IN ('realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly')),
    exchange_url  TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (class_id, department_id)
);

-- Headers a unit mapped by hand on the mapping screen, remembered for its next upload.
CREATE TABLE header_mappings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    class_id      BIGINT NOT NULL REFERENCES data_classes(id) ON DELETE CASCADE,
    header        TEXT NOT NULL,
    field_key     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (department_id, class_id, header)
);

-- One submission: a file, an API call, a form entry or a scheduled pull.
CREATE TABLE batches (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id       TEXT NOT NULL UNIQUE,
    class_id        BIGINT NOT NULL REFERENCES data_classes(id),
    department_id   BIGINT NOT NULL REFERENCES departments(id),
    channel         TEXT NOT NULL CHECK (channel IN ('form', 'file', 'api', 'exchange')),
    file_name       TEXT,
    file_sha256     TEXT,
    file_size       BIGINT,
    file_path       TEXT,                   -- the stored upload, for resuming a check
    encoding        TEXT,
    headers         TEXT,                   -- JSON array of the file's header row
    status          TEXT NOT NULL CHECK (status IN ('uploaded', 'checking', 'checked', 'confirming', 'published', 'discarded', 'failed')),
    rows_total      BIGINT NOT NULL DEFAULT 0,
    rows_done       BIGINT NOT NULL DEFAULT 0,
    bytes_done      BIGINT NOT NULL DEFAULT 0,  -- progress through a CSV while checking
    rows_new        BIGINT NOT NULL DEFAULT 0,
    rows_update     BIGINT NOT NULL DEFAULT 0,
    rows_duplicate  BIGINT NOT NULL DEFAULT 0,
    rows_faulty     BIGINT NOT NULL DEFAULT 0,
    rows_warning    BIGINT NOT NULL DEFAULT 0,
    error           TEXT,
    created_by      BIGINT REFERENCES users(id),
    created_at      TEXT NOT NULL,
    check_started_at TEXT,
    checked_at      TEXT,
    confirmed_by    BIGINT REFERENCES users(id),
    confirmed_at    TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX batches_department ON batches(department_id, created_at);
CREATE INDEX batches_status ON batches(status);

-- Rows that are not plain new records: faulty ones (kept with their cells for the error report),
-- updates of stored records (applied at confirmation) and dropped duplicates.
CREATE TABLE batch_rows (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id    BIGINT NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    row_no      BIGINT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('faulty', 'update', 'duplicate')),
    target_id   BIGINT,
    cells       TEXT NOT NULL,              -- JSON array of the row's cells as uploaded
    checked     TEXT,                       -- JSON of the canonical values (updates)
    UNIQUE (batch_id, row_no)
);

CREATE TABLE batch_faults (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id    BIGINT NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    row_no      BIGINT NOT NULL,
    field_key   TEXT NOT NULL,
    rule_code   TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('error', 'warning')),
    message     TEXT NOT NULL
);
CREATE INDEX batch_faults_batch ON batch_faults(batch_id, row_no);
CREATE INDEX batch_faults_rule ON batch_faults(rule_code);

-- The version trace (DOMAIN §6.6): version 1 is the record as its batch created it; every later
-- change (update, withdrawal, correction) is a row here with the fields it changed, from → to.
CREATE TABLE record_versions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    record_kind TEXT NOT NULL,
    record_id   BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('update', 'withdraw', 'correct', 'restore')),
    batch_id    BIGINT REFERENCES batches(id),
    actor_id    BIGINT REFERENCES users(id),
    actor_name  TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    changes     TEXT NOT NULL,              -- JSON [{field, from, to}]
    at          TEXT NOT NULL,
    UNIQUE (record_kind, record_id, version)
);

-- A name that differs from the registry's name for the same code: a task for an operator.
CREATE TABLE subject_conflicts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id      TEXT NOT NULL UNIQUE,
    subject_id     BIGINT NOT NULL REFERENCES subjects(id),
    registry_name  TEXT NOT NULL,
    incoming_name  TEXT NOT NULL,
    batch_id       BIGINT REFERENCES batches(id),
    department_id  BIGINT REFERENCES departments(id),
    status         TEXT NOT NULL CHECK (status IN ('open', 'kept', 'renamed')),
    resolved_by    BIGINT REFERENCES users(id),
    resolved_at    TEXT,
    created_at     TEXT NOT NULL,
    UNIQUE (subject_id, incoming_name)
);

CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id     TEXT NOT NULL UNIQUE,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL UNIQUE,     -- shown to people; the key itself is only stored hashed
    key_hash      TEXT NOT NULL,
    scopes        TEXT NOT NULL,            -- ';'-separated class codes
    created_by    BIGINT REFERENCES users(id),
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);

-- Records of classes an operator defines (and of the built-in list and commitment classes).
CREATE TABLE generic_records (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id     TEXT NOT NULL UNIQUE,
    class_id      BIGINT NOT NULL REFERENCES data_classes(id),
    subject_id    BIGINT REFERENCES subjects(id),
    department_id BIGINT REFERENCES departments(id),
    county_code   TEXT REFERENCES counties(code),
    subject_name  TEXT NOT NULL,
    dedupe_key    TEXT NOT NULL,
    payload       TEXT NOT NULL,            -- JSON object of canonical values by field key
    filled        TEXT,
    batch_id      BIGINT REFERENCES batches(id),
    published     BIGINT NOT NULL DEFAULT 0,
    published_at  TEXT,
    version       BIGINT NOT NULL DEFAULT 1,
    withdrawn     BIGINT NOT NULL DEFAULT 0,
    withdrawn_at  TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (class_id, dedupe_key)
);
CREATE INDEX generic_records_batch ON generic_records(batch_id);
CREATE INDEX generic_records_subject ON generic_records(subject_id);

-- Typed records: the batch that brought them, their de-duplication key, whether they are public yet,
-- which fields were filled and from where, and the legacy identifiers and area code units send.
ALTER TABLE penalties ADD COLUMN batch_id BIGINT REFERENCES batches(id);
ALTER TABLE penalties ADD COLUMN dedupe_key TEXT;
ALTER TABLE penalties ADD COLUMN published BIGINT NOT NULL DEFAULT 1;
ALTER TABLE penalties ADD COLUMN published_at TEXT;
ALTER TABLE penalties ADD COLUMN filled TEXT;
ALTER TABLE penalties ADD COLUMN withdrawn_at TEXT;
ALTER TABLE penalties ADD COLUMN reg_no TEXT;
ALTER TABLE penalties ADD COLUMN org_code TEXT;
ALTER TABLE penalties ADD COLUMN tax_no TEXT;
ALTER TABLE penalties ADD COLUMN area_code TEXT;
ALTER TABLE penalties ADD COLUMN legal_rep_id_hmac TEXT;
ALTER TABLE licences ADD COLUMN batch_id BIGINT REFERENCES batches(id);
ALTER TABLE licences ADD COLUMN dedupe_key TEXT;
ALTER TABLE licences ADD COLUMN published BIGINT NOT NULL DEFAULT 1;
ALTER TABLE licences ADD COLUMN published_at TEXT;
ALTER TABLE licences ADD COLUMN filled TEXT;
ALTER TABLE licences ADD COLUMN withdrawn_at TEXT;
ALTER TABLE licences ADD COLUMN area_code TEXT;
ALTER TABLE licences ADD COLUMN legal_rep_id_hmac TEXT;

UPDATE penalties SET dedupe_key = decision_no || '|' ||
    COALESCE('U:' || subject_uscc, 'P:' || person_id_hmac, 'N:' || subject_name || '@' || COALESCE(county_code, ''))
    || '|' || authority;
UPDATE licences SET dedupe_key = decision_no || '|' ||
    COALESCE('U:' || subject_uscc, 'P:' || person_id_hmac, 'N:' || subject_name || '@' || COALESCE(county_code, ''))
    || '|' || authority;
CREATE UNIQUE INDEX penalties_dedupe ON penalties(dedupe_key);
CREATE UNIQUE INDEX licences_dedupe ON licences(dedupe_key);
CREATE INDEX penalties_batch ON penalties(batch_id);
CREATE INDEX licences_batch ON licences(batch_id);

-- Where a subject came from: imported, or built from a batch.
ALTER TABLE subjects ADD COLUMN source TEXT;
