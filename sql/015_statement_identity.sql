-- 015_statement_identity: a movement the bank gave an id to is the same
-- line only when that id, its amount, sign, days and occurrence in its
-- statement agree (jobs/import.c).  Before, the id alone decided, so a
-- second line sharing it (an MT940 "//55555" on a credit and a debit, a
-- batch's parts) was counted as known and never stored.  Rows stored
-- before get their key in the new form, so a file sent again still adds
-- nothing; and the id is indexed, for the conflicts the import reports.
-- Each movement keeps the text it was read from, shown with it
-- (GET /api/bank-statements/{id}/movements).

ALTER TABLE bank_movements
  ADD KEY ix_bank_movements_ref (account_id, svcr_ref),
  ADD KEY ix_bank_movements_statement (statement_id, id),
  ADD COLUMN raw TEXT NULL COMMENT 'the text it was read from: the Ntry XML, :61: and :86:, the CSV row (at most 1023 bytes)' AFTER tx_code;

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
