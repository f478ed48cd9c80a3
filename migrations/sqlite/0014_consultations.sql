-- Public consultations (咨询/留言) of the help centre (issue 19, DOMAIN §13: answers due in 5 working days).
-- The asker's contact is stored encrypted with the ID-number key and shown masked; the tracking code is
-- what the asker reads the answer by. A published one carries the masked texts staff approved.
CREATE TABLE consultations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id       TEXT NOT NULL UNIQUE,
    tracking_code   TEXT NOT NULL UNIQUE,
    topic           TEXT NOT NULL,
    question        TEXT NOT NULL,
    asker_name      TEXT NOT NULL,
    contact_enc     TEXT NOT NULL,
    contact_masked  TEXT NOT NULL,
    consent_publish BIGINT NOT NULL DEFAULT 0,
    status          TEXT NOT NULL CHECK (status IN ('new', 'routed', 'answered')),
    department_id   BIGINT REFERENCES departments(id),
    received_on     TEXT NOT NULL,               -- Beijing date (YYYY-MM-DD)
    due_on          TEXT NOT NULL,               -- Beijing date the answer is due
    created_at      TEXT NOT NULL,
    routed_at       TEXT,
    routed_by       TEXT,
    answer          TEXT,
    answered_at     TEXT,
    answered_by     TEXT,
    published       BIGINT NOT NULL DEFAULT 0,
    published_at    TEXT,
    public_question TEXT,
    public_answer   TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX consultations_status_due ON consultations(status, due_on);
CREATE INDEX consultations_department ON consultations(department_id, status);
CREATE INDEX consultations_published ON consultations(published, published_at);
