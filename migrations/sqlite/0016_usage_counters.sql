-- Usage figures for the credit office's statistics (issue 19): per Beijing day and kind (credit
-- searches, data API calls), added up in memory and written every few seconds.
CREATE TABLE usage_counters (
    day     TEXT NOT NULL,                 -- YYYY-MM-DD (Beijing)
    kind    TEXT NOT NULL,                 -- search | data_api
    n       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, kind)
);
