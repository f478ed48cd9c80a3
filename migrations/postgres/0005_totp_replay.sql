-- The last TOTP time step accepted per account: a code is accepted once, never replayed in its window.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
