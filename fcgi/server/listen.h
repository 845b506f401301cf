/*
 * listen.h — getting the FastCGI listening socket, in order of preference:
 * an explicit spec (--listen or [server] listen: a unix socket PATH or
 * HOST:PORT), systemd socket activation (LISTEN_FDS, fd 3), or a socket
 * already on fd 0 (spawn-fcgi, libfcgi's FCGI_LISTENSOCK_FILENO).
 * The socket is made non-blocking (see worker.h for why).
 */
#ifndef CB_LISTEN_H
#define CB_LISTEN_H

#include "conf/config.h"

/* *fd: the socket.  *created: malloc'd path of a unix socket we bound (to
 * unlink at exit), or NULL.  err gets a reason on failure. */
cb_err listen_open(const struct config *cfg, const char *spec, int *fd,
    char **created, char *err, size_t errlen);

#endif
