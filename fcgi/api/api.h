/*
 * api.h — the HTTP handlers and the route table that binds them.
 * Handlers take a routed, authenticated struct http_req and send exactly
 * one response.  They translate between JSON and the store/core types and
 * hold no state of their own.
 */
#ifndef CB_API_H
#define CB_API_H

#include <stddef.h>

#include "http/request.h"
#include "http/router.h"

/* The routes every installation serves. */
extern const struct route api_routes[];
extern const size_t api_routes_count;
/* Test-only routes, served when [server] debug_routes = true. */
extern const struct route api_debug_routes[];
extern const size_t api_debug_routes_count;

void api_index(struct http_req *req);
void api_healthz(struct http_req *req);
void api_metrics(struct http_req *req);
void api_readyz(struct http_req *req);
void api_me(struct http_req *req);
void api_apikeys_list(struct http_req *req);
void api_apikeys_create(struct http_req *req);
void api_apikeys_revoke(struct http_req *req);
void api_debug_sleep(struct http_req *req);
void api_debug_job_create(struct http_req *req);
void api_debug_job_get(struct http_req *req);
void api_payments_create(struct http_req *req);
void api_payments_get(struct http_req *req);
void api_payments_list(struct http_req *req);
void api_payments_status(struct http_req *req);
void api_payments_patch(struct http_req *req);
void api_payments_history(struct http_req *req);
void api_payments_document(struct http_req *req);
void api_payments_ocr_get(struct http_req *req);
void api_payments_ocr_rerun(struct http_req *req);
void api_customers_create(struct http_req *req);
void api_customers_get(struct http_req *req);
void api_customers_list(struct http_req *req);
void api_invoices_create(struct http_req *req);
void api_invoices_get(struct http_req *req);
void api_invoices_list(struct http_req *req);
void api_bank_accounts_create(struct http_req *req);
void api_bank_accounts_get(struct http_req *req);
void api_bank_accounts_list(struct http_req *req);
void api_bank_accounts_patch(struct http_req *req);
void api_bank_statements_create(struct http_req *req);
void api_bank_statements_get(struct http_req *req);
void api_bank_statement_movements(struct http_req *req);
void api_profiles_create(struct http_req *req);
void api_profiles_list(struct http_req *req);
void api_profiles_get(struct http_req *req);
void api_profiles_delete(struct http_req *req);
void api_bank_account_movements(struct http_req *req);
void api_payments_bank_candidates(struct http_req *req);
void api_payments_bank_match(struct http_req *req);
void api_payments_bank_unmatch(struct http_req *req);
void api_apagos_register(struct http_req *req);
void api_apagos_cancel(struct http_req *req);
void api_apagos_info(struct http_req *req);
void api_payana_beneficiaries_create(struct http_req *req);
void api_payana_beneficiaries_list(struct http_req *req);
void api_payana_beneficiaries_get(struct http_req *req);
void api_payana_beneficiaries_delete(struct http_req *req);
void api_payana_payments_create(struct http_req *req);
void api_payana_payments_get(struct http_req *req);
void api_accounts_payments_create(struct http_req *req);
void api_accounts_payments_reverse(struct http_req *req);
void api_accounts_statements(struct http_req *req);
void api_accounts_create(struct http_req *req);
void api_accounts_get(struct http_req *req);
void api_accounts_entries_create(struct http_req *req);
void api_accounts_entries_list(struct http_req *req);
void api_webhook_endpoints_create(struct http_req *req);
void api_webhook_endpoints_get(struct http_req *req);
void api_webhook_endpoints_list(struct http_req *req);
void api_webhook_endpoints_patch(struct http_req *req);
void api_webhook_endpoints_delete(struct http_req *req);
void api_webhook_endpoints_rotate(struct http_req *req);
void api_webhook_callback_secret(struct http_req *req);
void api_webhook_deliveries_list(struct http_req *req);
void api_webhook_deliveries_get(struct http_req *req);
void api_webhook_deliveries_redeliver(struct http_req *req);
void api_activity_list(struct http_req *req);

/* Records the matched route's action in the activity log.  Inside the
 * change's transaction a failure dooms it (db_txn_doom: the commit rolls
 * back, the caller answers 500, nothing changes without its record);
 * after the commit it is logged, the change having happened. */
void api_activity(struct http_req *req, const char *target, const char *detail);
/* The same with an action of the caller's (the review pages' decisions). */
void api_activity_as(struct http_req *req, const char *action,
    const char *target, const char *detail);

#endif
