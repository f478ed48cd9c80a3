-- Credit commitments (issue 20 item 3, DOMAIN §10). The commitments themselves stay in generic_records
-- (class `commitment`); this migration adds what the online channel needs around them.

-- The contact a subject leaves with an online commitment, for the accepting unit that verifies it:
-- encrypted with the ID-number key, shown masked, never published.
CREATE TABLE commitment_contacts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id        BIGINT NOT NULL UNIQUE REFERENCES batches(id) ON DELETE CASCADE,
    contact_enc     TEXT NOT NULL,
    contact_masked  TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

-- 承诺即公示 is the setting `commitments.publish_at_once` (JSON true / false in `settings`): absent means
-- false, i.e. a 主动型 commitment waits for the accepting unit's confirmation like the others.

-- The 信用承诺 column opens the public list (its guides stay at /column/commitment, linked from the list).
UPDATE site_columns SET link_path = '/credit/lists/commitments' WHERE code = 'commitment' AND link_path IS NULL;

-- The fulfilment status is no longer part of a commitment's de-duplication key, so that a change of
-- 履约状态 is a new version of the same record rather than a new record.
UPDATE generic_records SET dedupe_key = REPLACE(REPLACE(REPLACE(dedupe_key,
        '/履约中|', '|'), '/已履约|', '|'), '/未履约|', '|')
    WHERE class_id = (SELECT id FROM data_classes WHERE code = 'commitment')
      AND NOT EXISTS (SELECT 1 FROM generic_records o WHERE o.class_id = generic_records.class_id
          AND o.id <> generic_records.id
          AND o.dedupe_key = REPLACE(REPLACE(REPLACE(generic_records.dedupe_key,
              '/履约中|', '|'), '/已履约|', '|'), '/未履约|', '|'));
