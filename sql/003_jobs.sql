-- 003_jobs: the durable job queue.  Any worker process on any host claims
-- work here with SELECT … FOR UPDATE SKIP LOCKED and holds it under a
-- lease; a job whose process died is claimed again when its lease expires.

CREATE TABLE jobs (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind           VARCHAR(48)     NOT NULL,
  payload        TEXT            NULL COMMENT 'JSON',
  state          ENUM('queued','running','done','dead') NOT NULL,
  run_at         DATETIME(6)     NOT NULL,
  attempts       INT UNSIGNED    NOT NULL DEFAULT 0,
  max_attempts   INT UNSIGNED    NOT NULL,
  lease_owner    VARCHAR(96)     NULL,
  lease_expires  DATETIME(6)     NULL,
  last_error     VARCHAR(1000)   NULL,
  created_at     DATETIME(6)     NOT NULL,
  updated_at     DATETIME(6)     NOT NULL,
  KEY ix_jobs_due (state, run_at, id),
  KEY ix_jobs_lease (state, lease_expires)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
