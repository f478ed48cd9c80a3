-- 联合奖惩 (issue 21, docs/domain.md §8): the measures list (措施清单) after the national base list,
-- plus local measures. A measure is retired, never deleted: the checks that named it keep pointing to it.
CREATE TABLE measures (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id      TEXT NOT NULL UNIQUE,
    -- The list's number (JC-01 …) or a local one (L-0001).
    code           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('reward', 'sanction')),
    list_kind      TEXT NOT NULL CHECK (list_kind IN ('red', 'black', 'watch')),
    content        TEXT NOT NULL,
    basis          TEXT NOT NULL,
    agency         TEXT NOT NULL,
    -- 'national': imported from the base list's spreadsheet; 'local': added in the console.
    origin         TEXT NOT NULL CHECK (origin IN ('national', 'local')),
    retired_at     TEXT,
    retired_reason TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX measures_list_kind ON measures(list_kind, retired_at);

-- Service matters (办理事项) of each department, and the measures that apply to each: a check for a
-- matter answers the hits and these measures.
CREATE TABLE matters (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id     TEXT NOT NULL UNIQUE,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX matters_department ON matters(department_id);
CREATE TABLE matter_measures (
    matter_id  BIGINT NOT NULL REFERENCES matters(id),
    measure_id BIGINT NOT NULL REFERENCES measures(id),
    PRIMARY KEY (matter_id, measure_id)
);
