-- 006_review_claims: who is looking at a review item.  Opening an item
-- claims it for a few minutes so that two reviewers do not decide it
-- unknowingly; others see who holds it until when.

CREATE TABLE review_claims (
  payment_id   BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  user_id      BIGINT UNSIGNED NOT NULL,
  username     VARCHAR(64)     NOT NULL,
  until        DATETIME(6)     NOT NULL,
  CONSTRAINT fk_claims_payment FOREIGN KEY (payment_id) REFERENCES payments (id) ON DELETE CASCADE,
  CONSTRAINT fk_claims_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
