/*
 * worker.h — a worker process: T request threads over a shared listening
 * socket (and, in later issues, the job threads).
 *
 * DESIGN: the listening socket is non-blocking.  Each request thread waits
 * in its own epoll set on the socket (EPOLLEXCLUSIVE: one waiter woken per
 * connection) and on the worker's stop eventfd, then calls FCGX_Accept_r,
 * which accepts without blocking (EAGAIN when another process was faster).
 * A stopping worker therefore never has a thread inside accept(): it
 * finishes the requests it holds and takes no new ones, with no signal
 * interrupting a read (libfcgi fails a request whose read sees EINTR).
 * All signals are blocked in every thread; the main thread takes SIGTERM
 * and SIGINT with sigwait.  Each thread owns its database connection.
 */
#ifndef CB_WORKER_H
#define CB_WORKER_H

#include "conf/config.h"

/* Runs until SIGTERM/SIGINT (or the master's death); returns the exit
 * status.  ready_fd receives one byte once every thread is serving. */
struct metrics;
/* metrics: the master's shared block, or NULL. */
int worker_main(const struct config *cfg, int listen_fd, int ready_fd,
    struct metrics *metrics);

#endif
