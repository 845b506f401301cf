-- 013_ownership: every object a client makes has an owner (core/ownership.h).
-- Payments already carry theirs (registered_by).  Customers get one, and
-- their documents are unique per owner: two clients may both have the same
-- payer, and neither learns of the other's.  Invoices belong to their
-- customer's owner.  A bank account may be given to one client by an admin;
-- one given to nobody stays shared.

ALTER TABLE customers
  ADD COLUMN owner_key_id BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'api_keys.id of the client that owns it; 0 = none (admin or command line)' AFTER created_by;
UPDATE customers SET owner_key_id = COALESCE(created_by, 0);
ALTER TABLE customers
  DROP KEY uq_customers_document,
  ADD UNIQUE KEY uq_customers_document (owner_key_id, document_type, document_id),
  ADD KEY ix_customers_owner (owner_key_id, id);

ALTER TABLE bank_accounts
  ADD COLUMN client_key_id BIGINT UNSIGNED NULL COMMENT 'api_keys.id of the one client it is given to; NULL = shared' AFTER holder;

ALTER TABLE payments
  ADD KEY ix_payments_owner (registered_by, id),
  MODIFY review_reason TEXT NULL COMMENT 'why a person must look; written by OCR, matching and people';

-- The sign-in form's token lives here, not only in the browser: a
-- pre-session made with the form, used once, for an hour at most.  A token
-- and cookie pair the browser made up (double submit) is no longer enough.
CREATE TABLE login_pre_sessions (
  id_hash     CHAR(64)    CHARACTER SET ascii NOT NULL PRIMARY KEY COMMENT 'SHA-256 hex of the cookie',
  csrf_token  VARCHAR(64) CHARACTER SET ascii NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  KEY ix_login_pre_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
