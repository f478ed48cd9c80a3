-- Scheduled exchange (定时交换): what the last pull of each source found. A pull whose content is the
-- same as the last one (same SHA-256) makes no new batch.
ALTER TABLE class_sources ADD COLUMN last_exchange_at TEXT;
ALTER TABLE class_sources ADD COLUMN last_exchange_status TEXT;
ALTER TABLE class_sources ADD COLUMN last_exchange_message TEXT;
ALTER TABLE class_sources ADD COLUMN last_exchange_sha256 TEXT;
ALTER TABLE class_sources ADD COLUMN next_exchange_at TEXT;
