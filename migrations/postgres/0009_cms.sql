-- CMS (DOMAIN §13): columns become a managed tree with freshness rules, articles get a workflow with
-- revisions, and what the portal shows is a copy of its own (`article_live`), written at publication:
-- editing a published article never changes the public page until the new text is published.

ALTER TABLE site_columns ADD COLUMN kind TEXT NOT NULL DEFAULT 'general';  -- news | notice | policy | service | general
ALTER TABLE site_columns ADD COLUMN update_days BIGINT;                    -- inspection rule: must be updated within
ALTER TABLE site_columns ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE site_columns ADD COLUMN visible BIGINT NOT NULL DEFAULT 1;
ALTER TABLE site_columns ADD COLUMN link_path TEXT;                        -- served by a function page instead

INSERT INTO site_columns (code, name, sort_order) VALUES
    ('news', '信用动态', 1), ('notice', '通知公告', 2), ('policy', '政策法规', 3), ('publicity', '双公示', 4),
    ('lists', '红黑名单', 5), ('commitment', '信用承诺', 6), ('repair', '信用修复', 7), ('objection', '异议申诉', 8),
    ('report', '信用报告', 9), ('guide', '办事指南', 10), ('consult', '咨询', 11), ('download', '下载', 12)
    ON CONFLICT (code) DO NOTHING;
UPDATE site_columns SET kind = 'news', update_days = 14 WHERE code = 'news';
UPDATE site_columns SET kind = 'notice', update_days = 183 WHERE code = 'notice';
UPDATE site_columns SET kind = 'policy', update_days = 183 WHERE code = 'policy';
UPDATE site_columns SET kind = 'service' WHERE code IN ('publicity', 'lists', 'commitment', 'repair', 'objection', 'report', 'guide', 'consult', 'download');

-- The working copy and its workflow state. status: draft | in_review | approved | scheduled |
-- published | unpublished | archived. `version` is the optimistic lock: every save bumps it.
ALTER TABLE articles ADD COLUMN subtitle TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN columns TEXT NOT NULL DEFAULT '[]';          -- JSON: every column, the first is column_code
ALTER TABLE articles ADD COLUMN cover TEXT;                                  -- stored file name (content address)
ALTER TABLE articles ADD COLUMN cover_alt TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN tags TEXT NOT NULL DEFAULT '';               -- joined by ';'
ALTER TABLE articles ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';      -- JSON: [{file, name, size}]
ALTER TABLE articles ADD COLUMN headline BIGINT NOT NULL DEFAULT 0;          -- home page carousel
ALTER TABLE articles ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE articles ADD COLUMN created_by BIGINT REFERENCES users(id);
ALTER TABLE articles ADD COLUMN updated_by BIGINT REFERENCES users(id);
ALTER TABLE articles ADD COLUMN submitted_by BIGINT REFERENCES users(id);
ALTER TABLE articles ADD COLUMN approved_by BIGINT REFERENCES users(id);
ALTER TABLE articles ADD COLUMN approved_version BIGINT;
ALTER TABLE articles ADD COLUMN publish_at TEXT;                             -- scheduled publication
ALTER TABLE articles ADD COLUMN unpublish_at TEXT;                           -- scheduled withdrawal
ALTER TABLE articles ADD COLUMN release_id BIGINT;
CREATE INDEX articles_status ON articles(status, updated_at);
UPDATE articles SET columns = '["' || column_code || '"]';

-- What the portal shows: one row per article on view, its text as published.
CREATE TABLE article_live (
    article_id   BIGINT PRIMARY KEY REFERENCES articles(id),
    public_id    TEXT NOT NULL UNIQUE,
    column_code  TEXT NOT NULL REFERENCES site_columns(code),
    title        TEXT NOT NULL,
    subtitle     TEXT NOT NULL DEFAULT '',
    summary      TEXT NOT NULL DEFAULT '',
    body_html    TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    author       TEXT NOT NULL DEFAULT '',
    cover        TEXT,
    cover_alt    TEXT NOT NULL DEFAULT '',
    tags         TEXT NOT NULL DEFAULT '',
    attachments  TEXT NOT NULL DEFAULT '[]',
    headline     BIGINT NOT NULL DEFAULT 0,
    search_text  TEXT NOT NULL DEFAULT '',                                   -- title, summary and body as plain text
    published_at TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX article_live_published ON article_live(published_at);
CREATE TABLE article_live_columns (
    article_id   BIGINT NOT NULL REFERENCES article_live(article_id) ON DELETE CASCADE,
    column_code  TEXT NOT NULL REFERENCES site_columns(code),
    published_at TEXT NOT NULL,
    PRIMARY KEY (column_code, article_id)
);
CREATE INDEX article_live_columns_order ON article_live_columns(column_code, published_at);
INSERT INTO article_live (article_id, public_id, column_code, title, summary, body_html, source, search_text, published_at, updated_at)
    SELECT id, public_id, column_code, title, summary, body_html, source, title || ' ' || summary, COALESCE(published_at, created_at), updated_at
    FROM articles WHERE status = 'published';
INSERT INTO article_live_columns (article_id, column_code, published_at)
    SELECT article_id, column_code, published_at FROM article_live;

-- Every saved state of an article, append-only: the content as JSON, so any two compare field by field.
CREATE TABLE article_revisions (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    article_id  BIGINT NOT NULL REFERENCES articles(id),
    version     BIGINT NOT NULL,
    content     TEXT NOT NULL,
    created_by  BIGINT REFERENCES users(id),
    created_at  TEXT NOT NULL,
    UNIQUE (article_id, version)
);

-- The article's history tab: every state change with who, when and the comment.
CREATE TABLE article_events (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    article_id   BIGINT NOT NULL REFERENCES articles(id),
    action       TEXT NOT NULL,
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    version      BIGINT NOT NULL,
    actor_id     BIGINT REFERENCES users(id),
    comment      TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL
);
CREATE INDEX article_events_article ON article_events(article_id, id);

-- Uploaded images and documents, stored under their SHA-256 (content addressed, never executable).
CREATE TABLE uploads (
    id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,
    file_name     TEXT NOT NULL UNIQUE,                                      -- sha256.ext
    kind          TEXT NOT NULL CHECK (kind IN ('image', 'document')),
    mime          TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    original_name TEXT NOT NULL,
    created_by    BIGINT REFERENCES users(id),
    created_at    TEXT NOT NULL
);

-- Releases: several articles published together at one moment.
CREATE TABLE releases (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    public_id    TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'scheduled', 'published', 'cancelled')),
    publish_at   TEXT,
    created_by   BIGINT REFERENCES users(id),
    created_at   TEXT NOT NULL,
    published_at TEXT
);

-- Words that block (or only warn about) publication. Configurable by the credit office.
CREATE TABLE sensitive_words (
    word        TEXT PRIMARY KEY,
    level       TEXT NOT NULL CHECK (level IN ('block', 'warn')),
    created_at  TEXT NOT NULL
);

-- Columns a CMS user works in (DOMAIN §2: "assigned columns"). A CMS user without any works in all.
CREATE TABLE cms_column_grants (
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    column_code TEXT NOT NULL REFERENCES site_columns(code),
    PRIMARY KEY (user_id, column_code)
);
