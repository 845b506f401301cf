/*
 * dispatch.h — one FastCGI request from accept to log line: route, check
 * the method, authenticate, run the handler, make sure exactly one
 * response went out, and write the request's log line.
 */
#ifndef CB_DISPATCH_H
#define CB_DISPATCH_H

#include <fcgiapp.h>

#include "conf/config.h"
#include "store/db.h"

struct job_pool;
struct jwt_keys;
struct metrics;
struct storage;
struct web;

/* What a worker made at start and every request borrows. */
struct dispatch_env {
	struct job_pool *jobs;
	struct storage *storage;
	const struct web *web;         /* templates and messages */
	struct metrics *metrics;       /* shared with the other workers */
	const struct jwt_keys *jwt;    /* seed 001's token keys */
};

void dispatch_request(FCGX_Request *f, const struct config *cfg,
    struct db_conn *db, const struct dispatch_env *env);

#endif
