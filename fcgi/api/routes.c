/* routes.c — every URL the server answers, in one table. */
#include "api/api.h"
#include "core/role.h"
#include "web/pages.h"

const struct route api_routes[] = {
	{"GET", "/", api_index, 0, NULL},
	{"GET", "/healthz", api_healthz, 0, NULL},
	{"GET", "/readyz", api_readyz, 0, NULL},
	{"GET", "/api/me", api_me, ROLE_ANY, NULL},
	/* The review pages authenticate by session (web/web.h), not API key. */
	{"GET", "/login", web_login_form, 0, NULL},
	{"POST", "/login", web_login, 0, NULL},
	{"POST", "/logout", web_logout, 0, NULL},
	{"GET", "/review", web_queue, 0, NULL},
	{"GET", "/review/{id}", web_item, 0, NULL},
	{"GET", "/review/{id}/document", web_item_document, 0, NULL},
	{"GET", "/review/{id}/pages/{n}", web_item_page, 0, NULL},
	{"POST", "/review/{id}/decision", web_decide, 0, NULL},
	{"POST", "/review/{id}/bank-match", web_bank_match, 0, NULL},
	{"POST", "/review/{id}/bank-unmatch", web_bank_unmatch, 0, NULL},
	{"GET", "/payments/{id}", web_payment, 0, NULL},
	{"GET", "/api/api-keys", api_apikeys_list, ROLE_ADMIN, NULL},
	{"POST", "/api/api-keys", api_apikeys_create, ROLE_ADMIN, "API_KEY_CREATE"},
	{"DELETE", "/api/api-keys/{id}", api_apikeys_revoke, ROLE_ADMIN,
	    "API_KEY_REVOKE"},
	{"POST", "/api/payments", api_payments_create, ROLE_ADMIN | ROLE_CLIENT,
	    "PAYMENT_CREATE"},
	{"GET", "/api/payments", api_payments_list, ROLE_ANY, NULL},
	{"GET", "/api/payments/{id}", api_payments_get, ROLE_ANY, NULL},
	{"PATCH", "/api/payments/{id}", api_payments_patch, ROLE_ADMIN | ROLE_CLIENT,
	    "PAYMENT_UPDATE"},
	{"POST", "/api/payments/{id}/status", api_payments_status, ROLE_ANY,
	    "PAYMENT_STATUS_CHANGE"},
	{"GET", "/api/payments/{id}/history", api_payments_history, ROLE_ANY, NULL},
	{"GET", "/api/payments/{id}/document", api_payments_document, ROLE_ANY,
	    NULL},
	{"GET", "/api/payments/{id}/ocr", api_payments_ocr_get, ROLE_ANY, NULL},
	{"POST", "/api/payments/{id}/ocr", api_payments_ocr_rerun, ROLE_ADMIN,
	    "PAYMENT_OCR_RERUN"},
	{"POST", "/api/customers", api_customers_create, ROLE_ADMIN | ROLE_CLIENT,
	    "CUSTOMER_CREATE"},
	{"GET", "/api/customers", api_customers_list, ROLE_ANY, NULL},
	{"GET", "/api/customers/{id}", api_customers_get, ROLE_ANY, NULL},
	{"POST", "/api/invoices", api_invoices_create, ROLE_ADMIN | ROLE_CLIENT,
	    "INVOICE_CREATE"},
	{"GET", "/api/invoices", api_invoices_list, ROLE_ANY, NULL},
	{"GET", "/api/invoices/{id}", api_invoices_get, ROLE_ANY, NULL},
	{"POST", "/api/bank-accounts", api_bank_accounts_create, ROLE_ADMIN,
	    "BANK_ACCOUNT_CREATE"},
	{"GET", "/api/bank-accounts", api_bank_accounts_list, ROLE_ANY, NULL},
	{"GET", "/api/bank-accounts/{id}", api_bank_accounts_get, ROLE_ANY, NULL},
	{"PATCH", "/api/bank-accounts/{id}", api_bank_accounts_patch, ROLE_ADMIN,
	    "BANK_ACCOUNT_UPDATE"},
	{"POST", "/api/bank-statements", api_bank_statements_create, ROLE_ADMIN,
	    "BANK_STATEMENT_IMPORT"},
	{"GET", "/api/bank-statements/{id}", api_bank_statements_get,
	    ROLE_ADMIN | ROLE_REVIEWER, NULL},
	{"GET", "/api/payments/{id}/bank-candidates", api_payments_bank_candidates,
	    ROLE_ADMIN | ROLE_REVIEWER, NULL},
	{"POST", "/api/payments/{id}/bank-match", api_payments_bank_match,
	    ROLE_ADMIN | ROLE_REVIEWER, "PAYMENT_RECONCILE"},
	{"DELETE", "/api/payments/{id}/bank-match", api_payments_bank_unmatch,
	    ROLE_ADMIN | ROLE_REVIEWER, "PAYMENT_UNRECONCILE"},
};
const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];

const struct route api_debug_routes[] = {
	{"GET", "/api/debug/sleep", api_debug_sleep, 0, NULL},
	{"POST", "/api/debug/jobs", api_debug_job_create, 0, NULL},
	{"GET", "/api/debug/jobs/{id}", api_debug_job_get, 0, NULL},
};
const size_t api_debug_routes_count =
    sizeof api_debug_routes / sizeof api_debug_routes[0];
