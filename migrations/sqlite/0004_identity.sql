-- Identity: login sessions per user, password history, audit retention checkpoints, and the
-- database-level guards for 三员分立 and the append-only audit log. Keep in step with ../postgres.

-- One row per login. The session cookie's data names the row by a random token (stored hashed), so
-- that a user's sessions can be listed and ended whatever the session store does.
CREATE TABLE user_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ip           TEXT,
    user_agent   TEXT,
    ended_at     TEXT,
    end_reason   TEXT
);
CREATE INDEX user_sessions_user ON user_sessions(user_id, ended_at);

CREATE TABLE password_history (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);

-- Retention pruning removes the oldest audit rows and leaves a checkpoint: the id and hash of the last
-- removed row, sealed with the audit key, from which verification continues.
CREATE TABLE audit_checkpoints (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    through_id   BIGINT NOT NULL,
    through_hash TEXT NOT NULL,
    pruned_rows  BIGINT NOT NULL,
    created_at   TEXT NOT NULL,
    seal         TEXT NOT NULL
);

-- Rows may be deleted only once a checkpoint covers them.
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN OLD.id > COALESCE((SELECT MAX(through_id) FROM audit_checkpoints), 0)
BEGIN SELECT RAISE(ABORT, 'audit_events rows can only be pruned behind a checkpoint'); END;

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

-- 三员分立: no account holds two of the system / security / audit admin roles.
CREATE TRIGGER user_roles_admin_separation BEFORE INSERT ON user_roles
WHEN (SELECT admin_class FROM roles WHERE code = NEW.role_code) IS NOT NULL
 AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.code = ur.role_code
             WHERE ur.user_id = NEW.user_id AND r.admin_class IS NOT NULL AND ur.role_code <> NEW.role_code)
BEGIN SELECT RAISE(ABORT, 'admin roles are separated: an account holds at most one of system, security, audit'); END;

ALTER TABLE users ADD COLUMN totp_enabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_login_at TEXT;
