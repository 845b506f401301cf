-- 008_bank: the accounts clients are paid into, the statements imported
-- for them and the movements those carry.  A movement is stored once:
-- dedup_key is the bank's own id for it when the statement gives one, or
-- else a hash of what it is (account, day, direction, amount, references)
-- and its occurrence among identical ones in its statement, so that
-- importing a statement again, or one that overlaps it, adds nothing
-- while two genuinely identical movements of one day both stay.

CREATE TABLE bank_accounts (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id    VARCHAR(64)     NOT NULL COMMENT 'what clients call it: seed 002 bank_account_id',
  bank_code    VARCHAR(16)     NOT NULL,
  number       VARCHAR(64)     NOT NULL COMMENT 'account number, IBAN, CLABE or CCI as written',
  number_norm  VARCHAR(64)     NOT NULL COMMENT 'letters and digits, upper case: how statements are matched to it',
  number_kind  VARCHAR(8)      NOT NULL COMMENT 'account | iban | clabe | cci',
  currency     CHAR(3)         NOT NULL,
  holder       VARCHAR(200)    NULL,
  active       TINYINT(1)      NOT NULL DEFAULT 1,
  created_at   DATETIME(6)     NOT NULL,
  updated_at   DATETIME(6)     NOT NULL,
  version      INT UNSIGNED    NOT NULL DEFAULT 1,
  UNIQUE KEY uq_bank_accounts_public (public_id),
  UNIQUE KEY uq_bank_accounts_number (number_norm, currency),
  CONSTRAINT fk_bank_accounts_bank FOREIGN KEY (bank_code) REFERENCES banks (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE bank_imports (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  file_name    VARCHAR(255)    NOT NULL,
  file_key     VARCHAR(400)    NOT NULL COMMENT 'in storage',
  file_sha256  CHAR(64)        NOT NULL,
  file_size    BIGINT UNSIGNED NOT NULL,
  format       VARCHAR(24)     NULL COMMENT 'camt | mt940 | csv:<profile>; NULL = sniff',
  status       VARCHAR(12)     NOT NULL COMMENT 'queued | running | done | failed',
  report       MEDIUMTEXT      NULL COMMENT 'JSON: statements, entries, new, known, rejected',
  error        VARCHAR(500)    NULL,
  created_by   BIGINT UNSIGNED NULL COMMENT 'api_keys.id; NULL from the command line',
  created_at   DATETIME(6)     NOT NULL,
  finished_at  DATETIME(6)     NULL,
  KEY ix_bank_imports_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE bank_statements (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  import_id     BIGINT UNSIGNED NOT NULL,
  account_id    BIGINT UNSIGNED NOT NULL,
  format        VARCHAR(24)     NOT NULL,
  stmt_ref      VARCHAR(64)     NULL,
  opening       DECIMAL(27,9)   NULL,
  closing       DECIMAL(27,9)   NULL,
  opening_date  DATE            NULL,
  closing_date  DATE            NULL,
  first_date    DATE            NULL COMMENT 'of its movements',
  last_date     DATE            NULL,
  entries       INT UNSIGNED    NOT NULL DEFAULT 0,
  balance_gap   DECIMAL(27,9)   NULL COMMENT 'closing - (opening + movements); 0 when it adds up, NULL when unknown',
  KEY ix_bank_statements_account (account_id, closing_date),
  CONSTRAINT fk_bank_statements_import FOREIGN KEY (import_id) REFERENCES bank_imports (id),
  CONSTRAINT fk_bank_statements_account FOREIGN KEY (account_id) REFERENCES bank_accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE bank_movements (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id     BIGINT UNSIGNED NOT NULL,
  dedup_key      CHAR(64)        NOT NULL,
  statement_id   BIGINT UNSIGNED NOT NULL COMMENT 'the first statement that carried it',
  booking_date   DATE            NOT NULL,
  value_date     DATE            NULL,
  amount         DECIMAL(27,9)   NOT NULL COMMENT 'exact, positive',
  amount_minor   BIGINT          NULL COMMENT 'in the currency''s minor units when exact there',
  currency       CHAR(3)         NOT NULL,
  credit         TINYINT(1)      NOT NULL,
  reversal       TINYINT(1)      NOT NULL DEFAULT 0,
  status         VARCHAR(8)      NOT NULL COMMENT 'booked | pending | info | other',
  svcr_ref       VARCHAR(64)     NULL,
  entry_ref      VARCHAR(64)     NULL,
  end_to_end     VARCHAR(64)     NULL,
  tx_id          VARCHAR(64)     NULL,
  party_name     VARCHAR(140)    NULL,
  party_id       VARCHAR(64)     NULL,
  party_account  VARCHAR(64)     NULL,
  info           VARCHAR(512)    NULL,
  tx_code        VARCHAR(36)     NULL,
  payment_id     BIGINT UNSIGNED NULL COMMENT 'the voucher it was matched to',
  created_at     DATETIME(6)     NOT NULL,
  UNIQUE KEY uq_bank_movements_dedup (account_id, dedup_key),
  KEY ix_bank_movements_day (account_id, booking_date),
  KEY ix_bank_movements_amount (account_id, amount_minor),
  KEY ix_bank_movements_payment (payment_id),
  CONSTRAINT fk_bank_movements_account FOREIGN KEY (account_id) REFERENCES bank_accounts (id),
  CONSTRAINT fk_bank_movements_statement FOREIGN KEY (statement_id) REFERENCES bank_statements (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Where a voucher says it was paid, and what the bank's record said.
ALTER TABLE payments
  ADD COLUMN bank_account_id BIGINT UNSIGNED NULL,
  ADD COLUMN bank_operation_number VARCHAR(64) NULL,
  ADD CONSTRAINT fk_payments_bank_account FOREIGN KEY (bank_account_id) REFERENCES bank_accounts (id);
