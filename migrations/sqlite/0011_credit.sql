-- Public credit search, display periods and credit reports (issue 6, DOMAIN §3.3, §7, §9).

-- A bigram index of subject names: a 2-character fragment such as 凤凰 is an index range, not a scan of
-- every name, on SQLite and PostgreSQL alike. One more entry per subject holds the last 4 characters of
-- its USCC ('#' + 4 characters, which no name bigram can equal) for "the last digits" searches.
-- `public` is 0 for natural persons, whom the public search does not list. ID numbers are never indexed.
-- Triggers keep it, whatever writes the subject (imports, the registry, renames, the demo seed).
CREATE TABLE gram_positions (n BIGINT PRIMARY KEY);
INSERT INTO gram_positions (n)
    WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < 200) SELECT n FROM p;

CREATE TABLE subject_grams (
    gram       TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    public     BIGINT NOT NULL,
    PRIMARY KEY (gram, subject_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO subject_grams (gram, subject_id, public)
    SELECT substr(s.name, p.n, 2), s.id, s.kind <> 'person' FROM subjects s JOIN gram_positions p ON p.n < length(s.name);
INSERT OR IGNORE INTO subject_grams (gram, subject_id, public)
    SELECT '#' || substr(s.uscc, 15, 4), s.id, s.kind <> 'person' FROM subjects s WHERE length(s.uscc) = 18;

CREATE TRIGGER subject_grams_insert AFTER INSERT ON subjects BEGIN
    INSERT OR IGNORE INTO subject_grams (gram, subject_id, public)
        SELECT substr(NEW.name, n, 2), NEW.id, NEW.kind <> 'person' FROM gram_positions WHERE n < length(NEW.name);
    INSERT OR IGNORE INTO subject_grams (gram, subject_id, public)
        SELECT '#' || substr(NEW.uscc, 15, 4), NEW.id, NEW.kind <> 'person' WHERE length(NEW.uscc) = 18;
END;

CREATE TRIGGER subject_grams_delete AFTER DELETE ON subjects BEGIN
    DELETE FROM subject_grams WHERE subject_id = OLD.id AND gram IN (
        SELECT substr(OLD.name, n, 2) FROM gram_positions WHERE n < length(OLD.name)
        UNION ALL SELECT '#' || substr(OLD.uscc, 15, 4) WHERE length(OLD.uscc) = 18);
END;

CREATE TRIGGER subject_grams_update AFTER UPDATE OF name, uscc, kind ON subjects BEGIN
    DELETE FROM subject_grams WHERE subject_id = OLD.id AND gram IN (
        SELECT substr(OLD.name, n, 2) FROM gram_positions WHERE n < length(OLD.name)
        UNION ALL SELECT '#' || substr(OLD.uscc, 15, 4) WHERE length(OLD.uscc) = 18);
    INSERT OR IGNORE INTO subject_grams (gram, subject_id, public)
        SELECT substr(NEW.name, n, 2), NEW.id, NEW.kind <> 'person' FROM gram_positions WHERE n < length(NEW.name);
    INSERT OR IGNORE INTO subject_grams (gram, subject_id, public)
        SELECT '#' || substr(NEW.uscc, 15, 4), NEW.id, NEW.kind <> 'person' WHERE length(NEW.uscc) = 18;
END;

-- Legacy codes are searched exactly.
CREATE INDEX subjects_reg_no ON subjects(reg_no);
CREATE INDEX subjects_org_code ON subjects(org_code);

-- When the take-down job removed a penalty whose display period ended (DOMAIN §7). Public queries also
-- compare display_until with today, so nothing shows past its end even before the job runs.
ALTER TABLE penalties ADD COLUMN taken_down_at TEXT;

-- Every issued report (the request log): who asked, for what, what it contained, and the signed PDF.
CREATE TABLE credit_reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    serial        TEXT NOT NULL UNIQUE,
    verify_code   TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('public', 'special')),
    subject_id    BIGINT NOT NULL REFERENCES subjects(id),
    subject_name  TEXT NOT NULL,
    subject_code  TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL CHECK (channel IN ('public', 'staff')),
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
CREATE INDEX credit_reports_subject ON credit_reports(subject_id);
CREATE INDEX credit_reports_issued ON credit_reports(issued_at);
