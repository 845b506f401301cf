-- 015_statements: statements as banks write them.
--
-- A movement the bank gave an id to is the same line only when that id,
-- its amount, sign, days and occurrence in its statement agree
-- (jobs/import.c).  Before, the id alone decided, so a
-- second line sharing it (an MT940 "//55555" on a credit and a debit, a
-- batch's parts) was counted as known and never stored.  Rows stored
-- before get their key in the new form, so a file sent again still adds
-- nothing; and the id is indexed, for the conflicts the import reports.
-- Each movement keeps the text it was read from, shown with it
-- (GET /api/bank-statements/{id}/movements), and both levels of the
-- bank's reference, and a structured creditor reference.

ALTER TABLE bank_movements
  ADD KEY ix_bank_movements_ref (account_id, svcr_ref),
  ADD COLUMN raw TEXT NULL COMMENT 'the text it was read from: the Ntry XML, :61: and :86:, the CSV row (at most 1023 bytes)' AFTER tx_code,
  ADD COLUMN entry_svcr_ref VARCHAR(64) NULL COMMENT 'the entry''s own bank reference where the transaction has another (a batch part, a TxDtls with its own)' AFTER svcr_ref,
  ADD COLUMN creditor_ref VARCHAR(64) NULL COMMENT 'a structured creditor reference (camt CdtrRefInf, :86: /CDTRREF/)' AFTER end_to_end;

-- Available balances beside the booked ones (camt OPAV / CLAV, MT940 :64:).
ALTER TABLE bank_statements
  ADD COLUMN available_opening DECIMAL(27,9) NULL AFTER closing,
  ADD COLUMN available_closing DECIMAL(27,9) NULL AFTER available_opening;

UPDATE bank_movements m
  JOIN (SELECT id, ROW_NUMBER() OVER (PARTITION BY statement_id, svcr_ref,
               credit, amount, booking_date, value_date, reversal
               ORDER BY id) - 1 AS occ
          FROM bank_movements WHERE svcr_ref IS NOT NULL) t ON t.id = m.id
   SET m.dedup_key = SHA2(CONCAT('ref|', m.svcr_ref, '|',
         IF(m.credit, 'C', 'D'), '|',
         TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM m.amount)), '|',
         m.booking_date, '|', COALESCE(m.value_date, ''), '|',
         IF(m.reversal, 'R', ''), '|#', t.occ), 256);

-- CSV layouts a client registers through the API
-- (/api/bank-statement-profiles), beside the files in [bank]
-- csv_profiles_dir; body is the profile in the files' own key = value
-- form, so that one parser (bank/csv.c) reads both.
CREATE TABLE bank_statement_profiles (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(32) CHARACTER SET ascii NOT NULL,
  body        TEXT NOT NULL,
  created_by  BIGINT UNSIGNED NULL COMMENT 'api_keys.id',
  created_at  DATETIME(6) NOT NULL,
  UNIQUE KEY uq_bank_statement_profiles_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
