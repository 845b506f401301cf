/*
 * pages.h — the review pages' handlers (routes.c lists them with the API's
 * routes; they authenticate by session, not API key).
 */
#ifndef CB_WEB_PAGES_H
#define CB_WEB_PAGES_H

#include "http/request.h"

#define USERNAME_FIELD 65

void web_login_form(struct http_req *req);   /* GET /login */
void web_login(struct http_req *req);        /* POST /login */
void web_logout(struct http_req *req);       /* POST /logout */
void web_queue(struct http_req *req);        /* GET /review */
void web_activity(struct http_req *req);     /* GET /activity (admins) */
void web_item(struct http_req *req);         /* GET /review/{id} */
void web_item_document(struct http_req *req);/* GET /review/{id}/document */
void web_item_page(struct http_req *req);    /* GET /review/{id}/pages/{n} */
void web_decide(struct http_req *req);       /* POST /review/{id}/decision */
void web_bank_match(struct http_req *req);   /* POST /review/{id}/bank-match */
void web_bank_unmatch(struct http_req *req); /* POST /review/{id}/bank-unmatch */
void web_payment(struct http_req *req);      /* GET /payments/{id} */
void web_imports(struct http_req *req);      /* GET /bank */
void web_import(struct http_req *req);       /* GET /bank/imports/{id} */
/* 403 page: a form without its token (CSRF). */
void web_forbidden(struct http_req *req);

#endif
