-- The link crawler's findings (site health board): every link on the portal's pages and whether it works.
CREATE TABLE link_checks (
    url             TEXT PRIMARY KEY,
    internal        BIGINT NOT NULL,
    found_on        TEXT NOT NULL,           -- the page it was (first) found on
    ok              BIGINT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '', -- HTTP status or the failure
    failing_since   TEXT,                    -- RFC 3339 UTC; kept while it keeps failing
    checked_at      TEXT NOT NULL
);

