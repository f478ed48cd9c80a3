-- In-app reminders to a unit (到期更新 and other notices); one per key, read once.
CREATE TABLE reminders (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    department_id   BIGINT NOT NULL REFERENCES departments(id),
    reminder_key    TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    link            TEXT,
    created_at      TEXT NOT NULL,
    read_at         TEXT,
    read_by         BIGINT REFERENCES users(id)
);
CREATE INDEX reminders_unit ON reminders(department_id, read_at);
-- The due-date board reads each unit's last confirmed batch per class.
CREATE INDEX batches_unit_class ON batches(department_id, class_id, status);
