-- 014_ocr_corrections: what the extractor weighed for each document, and
-- what a reviewer said was right, so that an installation can refit the
-- OCR model on its own vouchers (comprobarctl ocr export-corrections,
-- tests/corpus/fit.py, [ocr] model).  And whether a payment's currency is
-- only the default, so that the review page says so instead of "sent".

ALTER TABLE payments
  ADD COLUMN ocr_candidates MEDIUMTEXT NULL COMMENT 'JSON: amount, date and reference candidates with their features (ocr_read -C form)' AFTER ocr_words,
  ADD COLUMN currency_default TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1: nobody sent the currency and nothing implied it; the installation''s default stands' AFTER currency;

CREATE TABLE ocr_corrections (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  payment_id   BIGINT UNSIGNED NOT NULL,
  field        VARCHAR(16) CHARACTER SET ascii NOT NULL COMMENT 'amount | date | reference',
  ocr_value    VARCHAR(72) NULL COMMENT 'what OCR read; NULL: nothing',
  value        VARCHAR(72) NOT NULL COMMENT 'what the reviewer approved',
  how          VARCHAR(8) CHARACTER SET ascii NOT NULL COMMENT 'typed | clicked',
  reviewer_id  BIGINT UNSIGNED NULL COMMENT 'users.id',
  created_at   DATETIME(6) NOT NULL,
  KEY ix_ocr_corrections_payment (payment_id, field),
  KEY ix_ocr_corrections_created (created_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
