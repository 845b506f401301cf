-- 011_seed_surfaces: what the seed APIs' own vocabularies need of a
-- payment, kept on the one core row (the surfaces have no tables of their
-- own): seed 002's request_id (an ObjectId-like 24-hex id), the client's
-- order_id (unique per client, passed back) and its free `extra` object;
-- which surface registered it (its webhook callbacks speak that surface's
-- language); and a per-delivery payload for those callbacks.

ALTER TABLE payments
  ADD COLUMN surface          VARCHAR(12)  NULL COMMENT 'apagos | payana: registered through that seed API',
  ADD COLUMN request_id       CHAR(24)     CHARACTER SET ascii COLLATE ascii_bin NULL,
  ADD COLUMN client_order_id  VARCHAR(64)  NULL,
  ADD COLUMN extra            TEXT         NULL COMMENT 'JSON the client sent, kept as sent',
  ADD UNIQUE KEY uq_payments_request_id (request_id),
  ADD UNIQUE KEY uq_payments_order (registered_by, client_order_id);

ALTER TABLE webhook_deliveries
  ADD COLUMN payload MEDIUMTEXT NULL COMMENT 'instead of the event''s: a surface''s own callback body';

-- Seed 003 (Payana): public UUID references for beneficiaries (customers,
-- soft-deleted), payables (invoices) and payments, and a payment's
-- exchange rate and currency as the client sent them.
ALTER TABLE customers
  ADD COLUMN public_ref CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL COMMENT 'seed 003 beneficiary reference (UUID)',
  ADD COLUMN deleted_at DATETIME(6) NULL COMMENT 'seed 003: soft-deleted',
  ADD UNIQUE KEY uq_customers_public_ref (public_ref);

ALTER TABLE invoices
  ADD COLUMN public_ref CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL COMMENT 'seed 003 payable reference (UUID)',
  ADD COLUMN payable_type VARCHAR(16) NULL,
  ADD UNIQUE KEY uq_invoices_public_ref (public_ref);

ALTER TABLE payments
  ADD COLUMN public_ref CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL COMMENT 'seed 003 payment reference (UUID)',
  ADD COLUMN exchange_rate VARCHAR(40) NULL COMMENT 'decimal text, as sent',
  ADD COLUMN exchange_currency CHAR(3) NULL,
  ADD UNIQUE KEY uq_payments_public_ref (public_ref);
