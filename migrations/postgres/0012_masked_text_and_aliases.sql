-- Issue 17 items 4, 12, 13.
-- Personal numbers found in text fields are masked on the public copy; the text as sent is kept here,
-- encrypted (AES-GCM, the key of ID numbers), as JSON {field key: text}, for authorised staff only.
ALTER TABLE penalties ADD COLUMN text_originals_enc TEXT;
ALTER TABLE licences ADD COLUMN text_originals_enc TEXT;

-- v1 penalty files carry a state (CF_ZT: 0 正常, 1 撤销, 2 异议, 3 其他); a revoked penalty is withdrawn.
ALTER TABLE penalties ADD COLUMN state TEXT;
INSERT INTO class_fields (class_id, field_key, name, code_v2, codes_v1, synonyms, field_type, requirement,
    options, max_len, sort_order)
SELECT c.id, 'state', '当前状态', NULL, 'CF_ZT', '处罚状态;状态', 'enum', 'optional',
    '有效;撤销;异议;其他;正常=有效;0=有效;1=撤销;2=异议;3=其他', 200,
    (SELECT COALESCE(MAX(f.sort_order), 0) + 1 FROM class_fields f WHERE f.class_id = c.id)
FROM data_classes c
WHERE c.code = 'penalty'
  AND NOT EXISTS (SELECT 1 FROM class_fields f WHERE f.class_id = c.id AND f.field_key = 'state');

-- Departments are written many ways (DOMAIN §6 duty 4): the full name 湘西土家族苗族自治州…局, the short
-- name, abbreviations. Aliases are ';'-separated.
ALTER TABLE departments ADD COLUMN full_name TEXT;
ALTER TABLE departments ADD COLUMN aliases TEXT NOT NULL DEFAULT '';
