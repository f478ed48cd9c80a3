-- Subject accounts, case notices and case statistics (issue 20, items 5 and 7).
-- A subject account (role `subject`) is bound to one USCC and sees the cases of that subject at /my/cases.
ALTER TABLE users ADD COLUMN subject_uscc TEXT;
CREATE INDEX users_subject_uscc ON users(subject_uscc);
CREATE INDEX cases_subject ON cases(subject_uscc, id);

-- The day a case closed (Beijing date) and the deadline it had to keep then (the earlier of the step's
-- and the result's), so that the on-time rate survives the clock being cleared on closing.
ALTER TABLE cases ADD COLUMN closed_on TEXT;
ALTER TABLE cases ADD COLUMN closed_due_on TEXT;

-- Every notice sent to an applicant (SMS or email) through the configured channel (`APP_NOTICE_CHANNEL`,
-- `log` by default). The recipient is kept masked only; the raw contact stays encrypted in `cases`.
CREATE TABLE case_notices (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    channel     TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    template    TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    created_at  TEXT NOT NULL
);
CREATE INDEX case_notices_case ON case_notices(case_id, id);
