-- 010_webhooks: telling clients, and receipts fetched from URLs.
--
-- The outbox (webhook_events) is written by triggers on payments, so every
-- change — by the API, the review pages or a job, one row or a batch of
-- them — writes its event in its own transaction: a rollback writes none,
-- a commit cannot lose it, and no code path can forget it.  Events are
-- written only when someone listens (an enabled endpoint of the payment's
-- client, or the payment's own webhook URL), so matching a million
-- payments with nobody subscribed costs one index probe a row.

ALTER TABLE payments
  ADD COLUMN webhook_url    VARCHAR(2000) NULL COMMENT 'seed 002: called when validated or invalidated',
  ADD COLUMN receipt_url    VARCHAR(2000) NULL COMMENT 'seed 002 receipt / seed 003 file_path',
  ADD COLUMN receipt_status VARCHAR(12)   NULL COMMENT 'fetching | fetched | failed',
  ADD COLUMN receipt_error  VARCHAR(500)  NULL;

CREATE TABLE webhook_endpoints (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  api_key_id       BIGINT UNSIGNED NOT NULL COMMENT 'the client whose payments it hears',
  url              VARCHAR(2000)   NOT NULL,
  description      VARCHAR(200)    NULL,
  events           VARCHAR(1000)   NOT NULL COMMENT 'comma-separated types, or *',
  secret           VARCHAR(100)    NOT NULL,
  previous_secret  VARCHAR(100)    NULL COMMENT 'still signed with until previous_until',
  previous_until   DATETIME(6)     NULL,
  enabled          TINYINT(1)      NOT NULL DEFAULT 1,
  disabled_reason  VARCHAR(300)    NULL,
  disabled_at      DATETIME(6)     NULL,
  failing_since    DATETIME(6)     NULL COMMENT 'first failure since the last success',
  deleted          TINYINT(1)      NOT NULL DEFAULT 0,
  created_at       DATETIME(6)     NOT NULL,
  updated_at       DATETIME(6)     NOT NULL,
  version          INT UNSIGNED    NOT NULL DEFAULT 1,
  KEY ix_endpoints_client (api_key_id, enabled, deleted)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Signs the calls to a payment's own webhook URL (seed 002), one per client.
CREATE TABLE webhook_callback_secrets (
  api_key_id       BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  secret           VARCHAR(100)    NOT NULL,
  previous_secret  VARCHAR(100)    NULL,
  previous_until   DATETIME(6)     NULL,
  updated_at       DATETIME(6)     NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE webhook_events (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  type             VARCHAR(40)     NOT NULL,
  payment_id       BIGINT UNSIGNED NOT NULL,
  payment_version  INT UNSIGNED    NOT NULL,
  api_key_id       BIGINT UNSIGNED NOT NULL,
  occurred_at      DATETIME(6)     NOT NULL,
  msg_id           VARCHAR(40)     NULL COMMENT 'webhook-id: set once, the same on every retry',
  payload          MEDIUMTEXT      NULL,
  fanned_out       TINYINT(1)      NOT NULL DEFAULT 0,
  KEY ix_webhook_events_new (fanned_out, id),
  KEY ix_webhook_events_payment (payment_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE webhook_deliveries (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id         BIGINT UNSIGNED NOT NULL,
  endpoint_id      BIGINT UNSIGNED NULL COMMENT 'NULL: the payment''s own webhook URL',
  api_key_id       BIGINT UNSIGNED NOT NULL,
  url              VARCHAR(2000)   NOT NULL,
  state            ENUM('pending','sending','succeeded','failed') NOT NULL,
  attempts         INT UNSIGNED    NOT NULL DEFAULT 0 COMMENT 'all attempts ever',
  round            INT UNSIGNED    NOT NULL DEFAULT 0 COMMENT 'attempts since the last (re)delivery',
  next_at          DATETIME(6)     NOT NULL,
  lease_expires    DATETIME(6)     NULL,
  last_status      SMALLINT        NULL,
  last_error       VARCHAR(500)    NULL,
  created_at       DATETIME(6)     NOT NULL,
  updated_at       DATETIME(6)     NOT NULL,
  KEY ix_webhook_deliveries_due (state, next_at),
  KEY ix_webhook_deliveries_event (event_id),
  KEY ix_webhook_deliveries_client (api_key_id, id),
  KEY ix_webhook_deliveries_endpoint (endpoint_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE webhook_attempts (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  delivery_id      BIGINT UNSIGNED NOT NULL,
  at               DATETIME(6)     NOT NULL,
  http_status      SMALLINT        NULL,
  latency_ms       INT UNSIGNED    NOT NULL,
  error            VARCHAR(500)    NULL,
  response_head    VARCHAR(600)    NULL COMMENT 'the first bytes of the answer',
  next_at          DATETIME(6)     NULL COMMENT 'when the next attempt was scheduled',
  KEY ix_webhook_attempts_delivery (delivery_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Clients with at least one enabled endpoint, kept by the endpoints' own
-- triggers: the payments triggers ask this by primary key (a lookup on
-- webhook_endpoints' secondary index, per updated row, cost four times
-- as much: measured on a 10 k-payment matching pass).
CREATE TABLE webhook_listeners (
  api_key_id       BIGINT UNSIGNED NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER webhook_endpoints_listen_insert AFTER INSERT ON webhook_endpoints
FOR EACH ROW
BEGIN
  IF NEW.enabled = 1 AND NEW.deleted = 0 THEN
    INSERT IGNORE INTO webhook_listeners (api_key_id) VALUES (NEW.api_key_id);
  END IF;
END;

CREATE TRIGGER webhook_endpoints_listen_update AFTER UPDATE ON webhook_endpoints
FOR EACH ROW
BEGIN
  IF NEW.enabled = 1 AND NEW.deleted = 0 THEN
    INSERT IGNORE INTO webhook_listeners (api_key_id) VALUES (NEW.api_key_id);
  ELSEIF NOT EXISTS (SELECT 1 FROM webhook_endpoints e
      WHERE e.api_key_id = NEW.api_key_id AND e.enabled = 1
      AND e.deleted = 0) THEN
    DELETE FROM webhook_listeners WHERE api_key_id = NEW.api_key_id;
  END IF;
END;

-- The triggers ask first whether anything changed that is told, then
-- whether anyone listens: a row update costs a few comparisons when neither.
CREATE TRIGGER payments_outbox_created AFTER INSERT ON payments FOR EACH ROW
BEGIN
  IF NEW.webhook_url IS NOT NULL OR EXISTS (SELECT 1 FROM webhook_listeners l
      WHERE l.api_key_id = NEW.registered_by) THEN
    INSERT INTO webhook_events (type, payment_id, payment_version, api_key_id,
      occurred_at)
    VALUES ('payment.created', NEW.id, NEW.version, NEW.registered_by,
      UTC_TIMESTAMP(6));
  END IF;
END;

CREATE TRIGGER payments_outbox_changed AFTER UPDATE ON payments FOR EACH ROW
-- @cb_outbox_quiet: set around a batch UPDATE by a caller that has checked
-- that no one listens (store/matching.c); never otherwise.
outbox: BEGIN
  IF @cb_outbox_quiet IS NOT NULL THEN
    LEAVE outbox;
  END IF;
  BEGIN
    DECLARE status_changed BOOLEAN DEFAULT NOT (NEW.status <=> OLD.status);
    DECLARE review_raised BOOLEAN DEFAULT NEW.requires_manual_review = 1
      AND OLD.requires_manual_review = 0;
    DECLARE ocr_ended BOOLEAN DEFAULT NEW.ocr_status IN ('done', 'failed')
      AND NOT (NEW.ocr_status <=> OLD.ocr_status);
    IF (status_changed OR review_raised OR ocr_ended) AND
        (NEW.webhook_url IS NOT NULL OR EXISTS (SELECT 1 FROM webhook_listeners l
          WHERE l.api_key_id = NEW.registered_by)) THEN
      IF status_changed THEN
        INSERT INTO webhook_events (type, payment_id, payment_version,
          api_key_id, occurred_at)
        VALUES (CASE
            WHEN OLD.status = 'conciliado' AND NEW.status IN ('validado', 'pendiente')
              THEN 'payment.unreconciled'
            WHEN NEW.status = 'validado' THEN 'payment.validated'
            WHEN NEW.status = 'rechazado' THEN 'payment.rejected'
            WHEN NEW.status = 'conciliado' THEN 'payment.reconciled'
            WHEN NEW.status = 'aplicado' THEN 'payment.applied'
            WHEN NEW.status = 'cancelado' THEN 'payment.canceled'
            WHEN NEW.status = 'reversado' THEN 'payment.reversed'
            ELSE 'payment.status_changed' END,
          NEW.id, NEW.version, NEW.registered_by, UTC_TIMESTAMP(6));
      END IF;
      IF review_raised THEN
        INSERT INTO webhook_events (type, payment_id, payment_version,
          api_key_id, occurred_at)
        VALUES ('payment.needs_review', NEW.id, NEW.version, NEW.registered_by,
          UTC_TIMESTAMP(6));
      END IF;
      IF ocr_ended THEN
        INSERT INTO webhook_events (type, payment_id, payment_version,
          api_key_id, occurred_at)
        VALUES ('payment.ocr_completed', NEW.id, NEW.version, NEW.registered_by,
          UTC_TIMESTAMP(6));
      END IF;
    END IF;
  END;
END;
