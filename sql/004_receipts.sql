-- 004_receipts: receipt documents on payments, what OCR read from them,
-- and singleton jobs (periodic work such as the storage janitor).

ALTER TABLE payments
  ADD COLUMN document_key    VARCHAR(400) NULL COMMENT 'storage key: payments/documents/{id}-{name}',
  ADD COLUMN document_name   VARCHAR(255) NULL COMMENT 'sanitised file name',
  ADD COLUMN document_type   VARCHAR(32)  NULL COMMENT 'decided from the bytes',
  ADD COLUMN document_size   BIGINT UNSIGNED NULL,
  ADD COLUMN document_sha256 CHAR(64)     NULL,
  ADD COLUMN ocr_status      VARCHAR(12)  NULL COMMENT 'processing | done | failed',
  ADD COLUMN ocr_data        TEXT         NULL COMMENT 'JSON: fields, confidences, reasons',
  ADD COLUMN ocr_words       MEDIUMTEXT   NULL COMMENT 'JSON: [[text, page, x0, y0, x1, y1, conf], …]',
  ADD COLUMN review_reason   VARCHAR(255) NULL,
  ADD COLUMN duplicate_of    BIGINT UNSIGNED NULL,
  ADD KEY ix_payments_sha256 (document_sha256),
  ADD KEY ix_payments_bankref (bank_code, reference);

-- A periodic job keeps one row forever: the pool re-queues it after each
-- run; the unique key lets every worker ensure it exists at start.
ALTER TABLE jobs
  ADD COLUMN singleton VARCHAR(48) NULL,
  ADD UNIQUE KEY ux_jobs_singleton (singleton);

-- Tesseract often reads the '&' of "G&T" as something else; the rest of
-- the name is distinctive enough.
UPDATE banks SET aliases = CONCAT(aliases, '|CONTINENTAL|G T CONTINENTAL')
 WHERE code = 'GYT';
