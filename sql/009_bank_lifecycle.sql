-- 009_bank_lifecycle: what reconciliation needs to be undone and to
-- reach vouchers no person has validated.
--
-- voucher_amount_minor / voucher_date keep what the voucher said when the
-- bank's record replaced it (seed 002: "the amount, date … contain the
-- right information, not necessarily what was provided"), so that an
-- unmatch or a reversal puts the voucher back as it was.
-- bank_validation: the client asked for the bank to be the judge (seed
-- 002 vouchers): a `pendiente` voucher may be reconciled directly, and is
-- invalidated once statements without a balance gap cover its window.
-- bank_match_manual: a person undid a match; the engine no longer ties
-- this voucher by itself (it would tie the same pair again).
-- bank_judged: the pass found no movement for a validated voucher whose
-- window the statements cover and flagged it; later passes leave that
-- judgement alone (a movement that turns up still matches it).
-- shared_movement_id: one deposit that paid several vouchers; each of
-- them names it (the movement's payment_id names the first), and undoing
-- one undoes them all.
-- reversed_by: the reversal movement that undid this one.

ALTER TABLE payments
  ADD COLUMN voucher_amount_minor BIGINT NULL,
  ADD COLUMN voucher_date DATE NULL,
  ADD COLUMN bank_validation TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN bank_match_manual TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN bank_judged TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN shared_movement_id BIGINT UNSIGNED NULL,
  ADD KEY ix_payments_shared_movement (shared_movement_id);

-- The dedup key is hex: ASCII and binary, a quarter of utf8mb4's index.
ALTER TABLE bank_movements
  ADD COLUMN reversed_by BIGINT UNSIGNED NULL,
  MODIFY dedup_key CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL;
