-- 002_payments: the payments core (seed 000): banks, customers, invoices,
-- payments with an append-only event history, and idempotency keys.
-- Money is BIGINT minor units beside its currency; never a float.

CREATE TABLE banks (
  code     VARCHAR(16)  NOT NULL PRIMARY KEY,
  name     VARCHAR(120) NOT NULL,
  country  CHAR(2)      NOT NULL,
  aliases  VARCHAR(500) NOT NULL COMMENT 'names as vouchers print them, separated by |'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO banks (code, name, country, aliases) VALUES
-- Guatemala
('BI',      'Banco Industrial',                     'GT', 'BANCO INDUSTRIAL|BI|B.I.|BANCO INDUSTRIAL S.A.'),
('BANRURAL','Banco de Desarrollo Rural',            'GT', 'BANRURAL|BANCO DE DESARROLLO RURAL|BANRURAL S.A.'),
('BAM',     'Banco Agromercantil de Guatemala',     'GT', 'BAM|BANCO AGROMERCANTIL|AGROMERCANTIL'),
('GYT',     'Banco G&T Continental',                'GT', 'G&T|G&T CONTINENTAL|BANCO G&T CONTINENTAL|GYT'),
('BAC_GT',  'BAC Credomatic Guatemala',             'GT', 'BAC|BAC CREDOMATIC|CREDOMATIC'),
('PROMERICA_GT','Banco Promerica Guatemala',        'GT', 'PROMERICA|BANCO PROMERICA'),
-- Costa Rica
('BNCR',    'Banco Nacional de Costa Rica',         'CR', 'BANCO NACIONAL|BNCR|BN|BANCO NACIONAL DE COSTA RICA'),
('BCR',     'Banco de Costa Rica',                  'CR', 'BCR|BANCO DE COSTA RICA'),
('BAC_CR',  'BAC Credomatic Costa Rica',            'CR', 'BAC|BAC CREDOMATIC|BAC SAN JOSE'),
('BPDC',    'Banco Popular y de Desarrollo Comunal','CR', 'BANCO POPULAR|BP|POPULAR'),
('DAVIVIENDA_CR','Davivienda Costa Rica',           'CR', 'DAVIVIENDA'),
-- Peru
('BCP',     'Banco de Crédito del Perú',            'PE', 'BCP|BANCO DE CREDITO|BANCO DE CRÉDITO DEL PERÚ|VIA BCP'),
('BBVA_PE', 'BBVA Perú',                            'PE', 'BBVA|BBVA CONTINENTAL|BBVA PERU'),
('INTERBANK','Interbank',                           'PE', 'INTERBANK|BANCO INTERNACIONAL DEL PERU'),
('SCOTIA_PE','Scotiabank Perú',                     'PE', 'SCOTIABANK|SCOTIABANK PERU'),
('BN_PE',   'Banco de la Nación',                   'PE', 'BANCO DE LA NACION|BANCO DE LA NACIÓN|BN'),
-- Colombia
('BANCOLOMBIA','Bancolombia',                       'CO', 'BANCOLOMBIA|BANCOLOMBIA S.A.'),
('BOGOTA',  'Banco de Bogotá',                      'CO', 'BANCO DE BOGOTA|BANCO DE BOGOTÁ'),
('DAVIVIENDA','Davivienda',                         'CO', 'DAVIVIENDA|BANCO DAVIVIENDA'),
('BBVA_CO', 'BBVA Colombia',                        'CO', 'BBVA|BBVA COLOMBIA'),
('NEQUI',   'Nequi',                                'CO', 'NEQUI'),
-- Mexico
('BBVA_MX', 'BBVA México',                          'MX', 'BBVA|BBVA MEXICO|BBVA BANCOMER|BANCOMER'),
('BANORTE', 'Banorte',                              'MX', 'BANORTE|BANCO MERCANTIL DEL NORTE'),
('SANTANDER_MX','Santander México',                 'MX', 'SANTANDER|BANCO SANTANDER MEXICO'),
('BANAMEX', 'Citibanamex',                          'MX', 'CITIBANAMEX|BANAMEX|BANCO NACIONAL DE MEXICO'),
('HSBC_MX', 'HSBC México',                          'MX', 'HSBC|HSBC MEXICO'),
('AZTECA',  'Banco Azteca',                         'MX', 'BANCO AZTECA|AZTECA');

CREATE TABLE customers (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name           VARCHAR(200)    NOT NULL,
  document_type  ENUM('NIT','DNI','RUC','CEDULA','CUI','RFC','CURP','CC','CE','NIT_CO','PASAPORTE') NOT NULL,
  document_id    VARCHAR(32)     NOT NULL,
  email          VARCHAR(254)    NULL,
  created_at     DATETIME(6)     NOT NULL,
  created_by     BIGINT UNSIGNED NULL,
  UNIQUE KEY uq_customers_document (document_type, document_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE invoices (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id    BIGINT UNSIGNED NOT NULL,
  number         VARCHAR(64)     NOT NULL,
  currency       CHAR(3)         NOT NULL,
  amount_minor   BIGINT          NOT NULL,
  balance_minor  BIGINT          NOT NULL,
  issue_date     DATE            NOT NULL,
  due_date       DATE            NOT NULL,
  concept        VARCHAR(500)    NULL,
  created_at     DATETIME(6)     NOT NULL,
  updated_at     DATETIME(6)     NOT NULL,
  UNIQUE KEY uq_invoices_number (customer_id, number),
  CONSTRAINT fk_invoices_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE payments (
  id                     BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id            BIGINT UNSIGNED NOT NULL,
  invoice_id             BIGINT UNSIGNED NULL,
  amount_minor           BIGINT          NULL,
  currency               CHAR(3)         NOT NULL,
  payment_method         VARCHAR(16)     NULL,
  bank_code              VARCHAR(16)     NULL,
  reference              VARCHAR(64)     NULL,
  transaction_date       DATE            NULL,
  notes                  TEXT            NULL,
  status                 VARCHAR(16)     NOT NULL,
  previous_status        VARCHAR(16)     NULL COMMENT 'set by the same UPDATE that changes status',
  requires_manual_review TINYINT(1)      NOT NULL DEFAULT 0,
  registered_by          BIGINT UNSIGNED NOT NULL COMMENT 'api_keys.id',
  created_at             DATETIME(6)     NOT NULL,
  updated_at             DATETIME(6)     NOT NULL,
  version                INT UNSIGNED    NOT NULL DEFAULT 1,
  KEY ix_payments_status (status, id),
  KEY ix_payments_customer (customer_id, id),
  KEY ix_payments_invoice (invoice_id, id),
  KEY ix_payments_txdate (transaction_date, id),
  KEY ix_payments_review (requires_manual_review, id),
  CONSTRAINT fk_payments_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
  CONSTRAINT fk_payments_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id),
  CONSTRAINT fk_payments_bank FOREIGN KEY (bank_code) REFERENCES banks (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only: who, when, from → to, why, and old/new field values.
CREATE TABLE payment_events (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  payment_id   BIGINT UNSIGNED NOT NULL,
  at           DATETIME(6)     NOT NULL,
  kind         VARCHAR(16)     NOT NULL COMMENT 'created | status | corrected',
  actor_type   VARCHAR(16)     NOT NULL,
  actor_id     VARCHAR(64)     NULL,
  actor_name   VARCHAR(100)    NULL,
  remote_addr  VARCHAR(64)     NULL,
  request_id   VARCHAR(64)     NULL,
  from_status  VARCHAR(16)     NULL,
  to_status    VARCHAR(16)     NULL,
  reason       VARCHAR(500)    NULL,
  changes      TEXT            NULL COMMENT 'JSON: {field: {old, new}}',
  version      INT UNSIGNED    NOT NULL COMMENT 'payment version after the event',
  KEY ix_events_payment (payment_id, id),
  CONSTRAINT fk_events_payment FOREIGN KEY (payment_id) REFERENCES payments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER payment_events_no_update BEFORE UPDATE ON payment_events
  FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'payment_events is append-only';
CREATE TRIGGER payment_events_no_delete BEFORE DELETE ON payment_events
  FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'payment_events is append-only';

-- Idempotency-Key claims (Stripe / IETF draft): one row per key, scoped to
-- the API key, method and path.
CREATE TABLE idempotency_keys (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  api_key_id      BIGINT UNSIGNED NOT NULL,
  method          VARCHAR(8)      NOT NULL,
  path            VARCHAR(255)    NOT NULL,
  idem_key        VARCHAR(255)    NOT NULL,
  fingerprint     CHAR(64)        NOT NULL,
  state           ENUM('in_flight','done') NOT NULL,
  locked_until    DATETIME(6)     NOT NULL,
  response_status SMALLINT        NULL,
  response_body   MEDIUMTEXT      NULL,
  created_at      DATETIME(6)     NOT NULL,
  UNIQUE KEY uq_idem (api_key_id, method, path, idem_key),
  KEY ix_idem_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
