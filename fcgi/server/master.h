/*
 * master.h — the master process: holds the listening socket, forks the
 * workers, restarts a worker that dies (with backoff), replaces workers one
 * at a time on SIGHUP, and stops them gracefully on SIGTERM.
 *
 * DESIGN: a single-threaded loop over a signalfd (SIGCHLD, SIGTERM, SIGINT,
 * SIGQUIT, SIGHUP) and the readiness pipes of starting workers.  Each
 * worker lives in a slot with a generation number; SIGHUP re-reads the
 * config, bumps the generation, and the loop then starts one new worker,
 * waits for its readiness byte, and only then stops one old worker —
 * so the socket always has ready acceptors and no request fails.
 */
#ifndef CB_MASTER_H
#define CB_MASTER_H

#include "conf/config.h"

/* Owns *cfg from here on (replaced on reload, freed at exit).
 * config_path is re-read on SIGHUP; listen_override, if not NULL, keeps
 * --listen across reloads.  Returns the process exit status. */
int master_run(struct config *cfg, const char *config_path, int listen_fd);

#endif
