-- 007_review_queue: what the review queue filters on.  review_kind names
-- why a payment waits for a person, derived from the row so that no
-- writer can forget to set it: the bank reconciliation raises
-- bank_match_ambiguous when a statement line fits more than one payment.

ALTER TABLE payments
  ADD COLUMN bank_match_ambiguous TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN review_kind VARCHAR(16) AS (CASE
      WHEN bank_match_ambiguous THEN 'bank_match'
      WHEN ocr_status = 'failed' THEN 'ocr_failed'
      WHEN duplicate_of IS NOT NULL THEN 'duplicate'
      ELSE 'low_confidence' END) VIRTUAL,
  DROP INDEX ix_payments_review,
  ADD INDEX ix_payments_review (requires_manual_review, status, id);
