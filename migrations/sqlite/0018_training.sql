-- Training (培训, issue 19 and DOMAIN §10): sessions for the platform's users and for credit repair, with
-- their sign-in lists. An attendee's phone is stored encrypted with the ID-number key and shown masked.
-- A repair training's attendee gets a certificate number at sign-in, unique, that a repair case cites.
CREATE TABLE training_sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id     TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('platform', 'repair', 'submission')),
    session_date  TEXT NOT NULL,                -- Beijing date (YYYY-MM-DD)
    start_time    TEXT NOT NULL,                -- Beijing time (HH:MM)
    place         TEXT NOT NULL,                -- a room or an online meeting link
    department_id BIGINT REFERENCES departments(id),
    capacity      BIGINT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX training_sessions_date ON training_sessions(status, session_date);

CREATE TABLE training_attendees (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id      TEXT NOT NULL UNIQUE,
    session_id     BIGINT NOT NULL REFERENCES training_sessions(id),
    name           TEXT NOT NULL,
    organisation   TEXT NOT NULL,
    uscc           TEXT NOT NULL DEFAULT '',
    phone_enc      TEXT NOT NULL,
    phone_masked   TEXT NOT NULL,
    signed_in_at   TEXT,
    certificate_no TEXT UNIQUE,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX training_attendees_session ON training_attendees(session_id, id);

-- The materials (培训资料): a CMS column under the help centre whose articles carry the documents and
-- videos as attachments.
INSERT INTO site_columns (code, name, parent_code, sort_order, kind, description, link_path) VALUES
    ('training', '培训资料', 'help', 3, 'general', '平台使用、数据报送和信用修复培训的课件、讲义和视频。', NULL)
    ON CONFLICT (code) DO NOTHING;
