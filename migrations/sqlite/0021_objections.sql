-- Objections and complaints (issue 20, DOMAIN §11) on the case engine of 0019.
-- The channel a case came by: the portal, or entered by staff for a phone call, the counter or a letter.
ALTER TABLE cases ADD COLUMN channel TEXT NOT NULL DEFAULT 'portal'
    CHECK (channel IN ('portal', 'phone', 'counter', 'letter'));

-- A complaint about the platform's service concerns no record: it keeps record_kind 'none', record_id 0
-- and an empty record_public_id rather than relaxing NOT NULL (SQLite would have to rebuild `cases`,
-- which case_steps and case_files reference).

-- The objection mark: set while an objection on the record is open (the subject page shows
-- "异议处理中"); the operator may suspend the record's public display while it is open. Closing the
-- case clears both. `display_suspended` is part of every public visibility condition
-- (app/src/credit/visibility.rs).
ALTER TABLE penalties ADD COLUMN objection_open BIGINT NOT NULL DEFAULT 0;
ALTER TABLE penalties ADD COLUMN display_suspended BIGINT NOT NULL DEFAULT 0;
ALTER TABLE licences ADD COLUMN objection_open BIGINT NOT NULL DEFAULT 0;
ALTER TABLE licences ADD COLUMN display_suspended BIGINT NOT NULL DEFAULT 0;

-- The 异议申诉 column opens the service page, which links the guide, the forms and the tracking page.
UPDATE site_columns SET link_path = '/objection' WHERE code = 'objection' AND link_path IS NULL;
