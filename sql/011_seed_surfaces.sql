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
