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
struct storage;
struct web;
/* jobs, storage and web: borrowed, the worker's. */
struct metrics;
void dispatch_request(FCGX_Request *f, const struct config *cfg,
    struct db_conn *db, struct job_pool *jobs, struct storage *storage,
    const struct web *web, struct metrics *metrics);

#endif
