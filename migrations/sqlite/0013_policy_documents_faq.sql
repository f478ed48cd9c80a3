-- Issue 19 items 3 and 4: 政策法规 as documents, and the FAQ (常见问题) as a CMS column.
-- An article of a policy-kind column carries its document fields on the working copy and, from
-- publication, on the portal's copy (`article_live`), so the public list filters by them. Empty level
-- means "not a policy document". Dates are YYYY-MM-DD (Beijing calendar days).
ALTER TABLE articles ADD COLUMN doc_issuer TEXT NOT NULL DEFAULT '';        -- 发文机关
ALTER TABLE articles ADD COLUMN doc_number TEXT NOT NULL DEFAULT '';        -- 文号, free text
ALTER TABLE articles ADD COLUMN doc_level TEXT NOT NULL DEFAULT '';         -- national | provincial | prefecture | county
ALTER TABLE articles ADD COLUMN doc_issued_on TEXT;                         -- 成文/发布日期
ALTER TABLE articles ADD COLUMN doc_effective_on TEXT;                      -- 施行日期
ALTER TABLE articles ADD COLUMN doc_status TEXT NOT NULL DEFAULT '';        -- effective | amended | repealed

ALTER TABLE article_live ADD COLUMN doc_issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE article_live ADD COLUMN doc_number TEXT NOT NULL DEFAULT '';
ALTER TABLE article_live ADD COLUMN doc_level TEXT NOT NULL DEFAULT '';
ALTER TABLE article_live ADD COLUMN doc_issued_on TEXT;
ALTER TABLE article_live ADD COLUMN doc_effective_on TEXT;
ALTER TABLE article_live ADD COLUMN doc_status TEXT NOT NULL DEFAULT '';
CREATE INDEX article_live_doc ON article_live(doc_level, doc_status, doc_issued_on);

-- The FAQ: questions (titles) and answers (bodies) managed in the CMS, shown at /help/faq. A sub-column
-- of 咨询, so the main navigation keeps its length; the first tag of an entry is its group.
INSERT INTO site_columns (code, name, parent_code, sort_order, kind, description, link_path) VALUES
    ('faq', '常见问题', 'consult', 1, 'general', '平台使用、信用查询、双公示、信用修复和异议申诉的常见问题解答。', '/help/faq')
    ON CONFLICT (code) DO NOTHING;
