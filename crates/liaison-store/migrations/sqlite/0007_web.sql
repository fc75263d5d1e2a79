-- Sign-in to the web application: an optional password hash per user (argon2id, PHC string;
-- API tokens stay as they are) and server-side sessions. A session is found by the SHA-256 of
-- its cookie value, so a copy of the database does not hold usable cookies; its CSRF token is
-- checked on every form the session posts. Keep in step with ../postgres/0007_web.sql.
ALTER TABLE users ADD COLUMN password_hash TEXT;

CREATE TABLE web_sessions (
    id_hash     TEXT PRIMARY KEY,
    user_name   TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);
