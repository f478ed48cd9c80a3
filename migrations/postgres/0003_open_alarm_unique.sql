-- At most one open (or acknowledged) alarm per key, so that raising is a single upsert.
CREATE UNIQUE INDEX alarms_one_open_per_key ON alarms(alarm_key) WHERE status <> 'resolved';
