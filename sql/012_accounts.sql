-- 012_accounts: seed 001's accounts in three levels (banca > ventana >
-- vendedor), the ledger of sales and payouts that feeds their daily
-- statements, the payments and collections that settle them, and the
-- statements themselves, recomputed in the transaction of every change.
-- Money is BIGINT minor units (the installation's currency, 2 decimals).

CREATE TABLE accounts (
  id          VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  level       ENUM('banca','ventana','vendedor') NOT NULL,
  parent_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NULL COMMENT 'the banca of a ventana, the ventana of a vendedor',
  name        VARCHAR(200) NOT NULL,
  created_at  DATETIME(6)  NOT NULL,
  KEY ix_accounts_parent (parent_id),
  CONSTRAINT fk_accounts_parent FOREIGN KEY (parent_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE account_entries (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  day          DATE         NOT NULL,
  kind         ENUM('sale','payout') NOT NULL,
  amount_minor BIGINT       NOT NULL,
  reference    VARCHAR(64)  NULL COMMENT 'the source''s id: an import never counts it twice',
  created_at   DATETIME(6)  NOT NULL,
  UNIQUE KEY uq_account_entries_ref (account_id, reference),
  KEY ix_account_entries_day (account_id, day),
  CONSTRAINT fk_account_entries_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE account_payments (
  id              VARCHAR(40)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  account_id      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  day             DATE         NOT NULL,
  time            CHAR(5)      NOT NULL,
  amount_minor    BIGINT       NOT NULL,
  type            ENUM('payment','collection') NOT NULL,
  method          ENUM('cash','check','transfer','system') NOT NULL,
  notes           VARCHAR(500) NULL,
  is_final        TINYINT(1)   NOT NULL DEFAULT 0,
  is_reversed     TINYINT(1)   NOT NULL DEFAULT 0,
  reversed_at     DATETIME(6)  NULL,
  reversed_by     VARCHAR(64)  NULL,
  reverse_reason  VARCHAR(500) NULL,
  paid_by_id      VARCHAR(64)  NOT NULL COMMENT 'the token''s sub',
  idempotency_key VARCHAR(255) NULL,
  created_at      DATETIME(6)  NOT NULL,
  UNIQUE KEY uq_account_payments_idem (paid_by_id, idempotency_key),
  KEY ix_account_payments_day (account_id, day),
  CONSTRAINT fk_account_payments_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE account_statements (
  id                 VARCHAR(100)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  account_id         VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  day                DATE         NOT NULL,
  total_sales        BIGINT       NOT NULL,
  total_payouts      BIGINT       NOT NULL,
  total_paid         BIGINT       NOT NULL,
  remaining_balance  BIGINT       NOT NULL,
  is_saldado         TINYINT(1)   NOT NULL,
  updated_at         DATETIME(6)  NOT NULL,
  UNIQUE KEY uq_account_statements_day (account_id, day),
  CONSTRAINT fk_account_statements_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Seed 001's callers are JWT subjects.
ALTER TABLE activity_log
  MODIFY principal_type ENUM('api_key','user','cli','system','jwt') NOT NULL;
