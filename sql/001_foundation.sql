-- 001_foundation: API keys, users for the review pages, the activity log.
-- All times are UTC (every connection sets time_zone = '+00:00').

CREATE TABLE api_keys (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(100)    NOT NULL,
  role        ENUM('admin','client','reviewer') NOT NULL,
  key_prefix  CHAR(12)        NOT NULL COMMENT 'first characters, to recognise a key in lists',
  key_hash    CHAR(64)        NOT NULL COMMENT 'SHA-256 hex of the whole key; the key itself is never stored',
  created_at  DATETIME(6)     NOT NULL,
  revoked_at  DATETIME(6)     NULL,
  UNIQUE KEY uq_api_keys_hash (key_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE users (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username      VARCHAR(64)     NOT NULL,
  role          ENUM('reviewer','admin') NOT NULL,
  password_hash VARCHAR(255)    NOT NULL,
  created_at    DATETIME(6)     NOT NULL,
  updated_at    DATETIME(6)     NOT NULL,
  disabled_at   DATETIME(6)     NULL,
  UNIQUE KEY uq_users_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE activity_log (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at             DATETIME(6)     NOT NULL,
  action         VARCHAR(64)     NOT NULL,
  principal_type ENUM('api_key','user','cli','system') NOT NULL,
  principal_id   VARCHAR(64)     NULL,
  target         VARCHAR(128)    NULL,
  request_id     VARCHAR(64)     NULL,
  detail         TEXT            NULL,
  KEY ix_activity_at (at),
  KEY ix_activity_target (target)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
