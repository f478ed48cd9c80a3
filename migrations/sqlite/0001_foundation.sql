-- Foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql.
-- Timestamps: RFC 3339 UTC text. Dates: YYYY-MM-DD text. Money: BIGINT fen. Flags: BIGINT 0/1.

CREATE TABLE counties (
    code        TEXT PRIMARY KEY,          -- GB/T 2260
    name        TEXT NOT NULL,
    sort_order  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id   TEXT NOT NULL UNIQUE,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    uscc        TEXT,
    county_code TEXT REFERENCES counties(code),
    active      BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
);

CREATE TABLE roles (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    -- system / security / audit admins are mutually exclusive (三员分立)
    admin_class TEXT
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id           TEXT NOT NULL UNIQUE,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT,
    department_id       BIGINT REFERENCES departments(id),
    county_code         TEXT REFERENCES counties(code),
    is_credit_office    BIGINT NOT NULL DEFAULT 0,
    status              TEXT NOT NULL DEFAULT 'active',
    failed_logins       BIGINT NOT NULL DEFAULT 0,
    locked_until        TEXT,
    password_changed_at TEXT,
    must_change_password BIGINT NOT NULL DEFAULT 1,
    totp_secret_enc     TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

CREATE TABLE user_roles (
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_code   TEXT NOT NULL REFERENCES roles(code),
    granted_by  BIGINT REFERENCES users(id),
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, role_code)
);

CREATE TABLE holidays (
    day     TEXT PRIMARY KEY,              -- YYYY-MM-DD
    kind    TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),  -- workday = adjusted working weekend (调休)
    name    TEXT NOT NULL,
    source  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,             -- JSON
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);

-- Append-only: the application never updates or deletes rows (the chain is verified by `server verify-audit`).
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor_id    BIGINT,
    actor_name  TEXT NOT NULL,
    role        TEXT,
    action      TEXT NOT NULL,
    object_type TEXT,
    object_id   TEXT,
    outcome     TEXT NOT NULL,
    ip          TEXT,
    user_agent  TEXT,
    detail      TEXT NOT NULL DEFAULT '{}',
    prev_hash   TEXT NOT NULL,
    hmac        TEXT NOT NULL
);
CREATE INDEX audit_events_at ON audit_events(at);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

-- The subject registry (法人库 and natural persons).
CREATE TABLE subjects (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id       TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('organisation', 'individual_business', 'person')),
    name            TEXT NOT NULL,
    uscc            TEXT UNIQUE,
    id_number_enc   TEXT,                  -- AES-GCM, natural persons only
    id_number_hmac  TEXT UNIQUE,           -- keyed hash for matching
    id_number_masked TEXT,
    birth_date      TEXT,                  -- persons: minors are never published
    legal_rep       TEXT,
    reg_no          TEXT,                  -- 工商注册号
    org_code        TEXT,                  -- 组织机构代码
    county_code     TEXT REFERENCES counties(code),
    address         TEXT,
    established_on  TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX subjects_name ON subjects(name);
CREATE INDEX subjects_county ON subjects(county_code);

CREATE TABLE subject_names (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_id  BIGINT NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    seen_at     TEXT NOT NULL,
    source      TEXT NOT NULL
);

-- 行政许可 (DOMAIN §5.1, v2 field codes in comments).
CREATE TABLE licences (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id           TEXT NOT NULL UNIQUE,
    subject_id          BIGINT NOT NULL REFERENCES subjects(id),
    department_id       BIGINT REFERENCES departments(id),
    county_code         TEXT REFERENCES counties(code),
    subject_name        TEXT NOT NULL,     -- XK_XDR_MC
    subject_category    TEXT NOT NULL,     -- XK_XDR_LB
    subject_uscc        TEXT,              -- XK_XDR_SHXYM
    reg_no              TEXT,              -- XK_XDR_GSZC
    org_code            TEXT,              -- XK_XDR_ZZJG
    tax_no              TEXT,              -- XK_XDR_SWDJ
    institution_no      TEXT,              -- XK_XDR_SYDW
    social_org_no       TEXT,              -- XK_XDR_SHZZ
    legal_rep           TEXT,              -- XK_FRDB
    legal_rep_id_type   TEXT,              -- XK_FR_ZJLX
    legal_rep_id_enc    TEXT,              -- XK_FR_ZJHM (encrypted)
    legal_rep_id_masked TEXT,
    person_id_type      TEXT,              -- XK_XDR_ZJLX
    person_id_enc       TEXT,              -- XK_XDR_ZJHM (encrypted)
    person_id_masked    TEXT,
    person_id_hmac      TEXT,
    decision_doc_name   TEXT NOT NULL,     -- XK_XKWS
    decision_no         TEXT NOT NULL,     -- XK_WSH
    licence_category    TEXT NOT NULL,     -- XK_XKLB
    certificate_name    TEXT,              -- XK_XKZS
    licence_no          TEXT,              -- XK_XKBH
    content             TEXT NOT NULL,     -- XK_NR
    decision_date       TEXT NOT NULL,     -- XK_JDRQ
    valid_from          TEXT NOT NULL,     -- XK_YXQZ
    valid_to            TEXT NOT NULL,     -- XK_YXQZI ("长期" = 2099-12-31)
    authority           TEXT NOT NULL,     -- XK_XKJG
    authority_uscc      TEXT NOT NULL,     -- XK_XKJGDM
    state               TEXT NOT NULL,     -- XK_ZT
    source_unit         TEXT NOT NULL,     -- XK_LYDW
    source_unit_uscc    TEXT NOT NULL,     -- XK_LYDWDM
    remark              TEXT,              -- BZ
    version             BIGINT NOT NULL DEFAULT 1,
    withdrawn           BIGINT NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX licences_subject ON licences(subject_id);
CREATE INDEX licences_decision_date ON licences(decision_date);
CREATE INDEX licences_department ON licences(department_id);

-- 行政处罚 (DOMAIN §5.2).
CREATE TABLE penalties (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id           TEXT NOT NULL UNIQUE,
    subject_id          BIGINT NOT NULL REFERENCES subjects(id),
    department_id       BIGINT REFERENCES departments(id),
    county_code         TEXT REFERENCES counties(code),
    subject_name        TEXT NOT NULL,     -- CF_XDR_MC
    subject_category    TEXT NOT NULL,     -- CF_XDR_LB
    subject_uscc        TEXT,              -- CF_XDR_SHXYM
    legal_rep           TEXT,              -- CF_FRDB
    legal_rep_id_type   TEXT,              -- CF_FR_ZJLX
    legal_rep_id_enc    TEXT,              -- CF_FR_ZJHM
    legal_rep_id_masked TEXT,
    person_id_type      TEXT,              -- CF_XDR_ZJLX
    person_id_enc       TEXT,              -- CF_XDR_ZJHM
    person_id_masked    TEXT,
    person_id_hmac      TEXT,
    decision_no         TEXT NOT NULL,     -- CF_WSH
    violation_type      TEXT NOT NULL,     -- CF_WFXW
    violation_facts     TEXT NOT NULL,     -- CF_SY
    legal_basis         TEXT NOT NULL,     -- CF_YJ
    categories          TEXT NOT NULL,     -- CF_CFLB, values joined by ';'
    content             TEXT NOT NULL,     -- CF_NR
    fine_fen            BIGINT,            -- CF_NR_FK (万元 → fen)
    confiscated_fen     BIGINT,            -- CF_NR_WFFF
    suspended_licence   TEXT,              -- CF_NR_ZKDX
    decision_date       TEXT NOT NULL,     -- CF_JDRQ
    penalty_valid_until TEXT,              -- CF_YXQ
    display_until_given TEXT,              -- CF_GSJZQ
    authority           TEXT NOT NULL,     -- CF_CFJG
    authority_uscc      TEXT NOT NULL,     -- CF_CFJGDM
    source_unit         TEXT NOT NULL,     -- CF_SJLY
    source_unit_uscc    TEXT NOT NULL,     -- CF_SJLYDM
    remark              TEXT,              -- BZ
    severity            TEXT NOT NULL CHECK (severity IN ('minor', 'general', 'serious')),
    display_until       TEXT NOT NULL,     -- derived (DOMAIN §7)
    repair_eligible_from TEXT NOT NULL,    -- derived
    repaired            BIGINT NOT NULL DEFAULT 0,
    repaired_at         TEXT,
    version             BIGINT NOT NULL DEFAULT 1,
    withdrawn           BIGINT NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX penalties_subject ON penalties(subject_id);
CREATE INDEX penalties_decision_date ON penalties(decision_date);
CREATE INDEX penalties_department ON penalties(department_id);

-- Portal columns and articles (the CMS issue extends these).
CREATE TABLE site_columns (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    parent_code TEXT REFERENCES site_columns(code),
    sort_order  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id    TEXT NOT NULL UNIQUE,
    column_code  TEXT NOT NULL REFERENCES site_columns(code),
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    body_html    TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'published',
    published_at TEXT,
    views        BIGINT NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX articles_column_published ON articles(column_code, published_at);

-- Background jobs and their log.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',
    dedupe_key   TEXT UNIQUE,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    run_at       TEXT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 5,
    lease_owner  TEXT,
    lease_until  TEXT,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs(status, run_at);

CREATE TABLE job_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id      BIGINT NOT NULL REFERENCES jobs(id),
    kind        TEXT NOT NULL,
    attempt     BIGINT NOT NULL,
    runner      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    message     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_log_job ON job_log(job_id);

CREATE TABLE alarms (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    alarm_key       TEXT NOT NULL,
    severity        TEXT NOT NULL,
    title           TEXT NOT NULL,
    detail          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    occurrences     BIGINT NOT NULL DEFAULT 1,
    raised_at       TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at TEXT,
    resolved_by     TEXT,
    resolved_at     TEXT,
    note            TEXT
);
CREATE INDEX alarms_key_status ON alarms(alarm_key, status);

-- A counter every instance reads, so that caches are invalidated through the database.
CREATE TABLE cache_versions (
    name    TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
