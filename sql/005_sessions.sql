-- 005_sessions: sign-in for the review pages.  Sessions live on the server;
-- the cookie holds a random id whose SHA-256 is the key here, so a leaked
-- table does not hand out sessions.  Failed logins are kept (briefly) to
-- throttle per account and per address.

CREATE TABLE sessions (
  id_hash      CHAR(64)        NOT NULL PRIMARY KEY COMMENT 'SHA-256 of the cookie value',
  user_id      BIGINT UNSIGNED NOT NULL,
  csrf_token   VARCHAR(64)     NOT NULL COMMENT 'synchronizer token for forms',
  created_at   DATETIME(6)     NOT NULL,
  last_seen    DATETIME(6)     NOT NULL,
  remote_addr  VARCHAR(64)     NULL,
  user_agent   VARCHAR(255)    NULL,
  KEY ix_sessions_user (user_id),
  KEY ix_sessions_seen (last_seen),
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE login_failures (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at           DATETIME(6)     NOT NULL,
  username     VARCHAR(64)     NOT NULL,
  remote_addr  VARCHAR(64)     NOT NULL,
  KEY ix_login_failures_user (username, at),
  KEY ix_login_failures_addr (remote_addr, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
