/* listen.c — see listen.h. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "server/listen.h"
#include "util/log.h"

#define BACKLOG 1024

static cb_err
open_unix(const struct config *cfg, const char *path, int *fd, char **created,
    char *err, size_t errlen)
{
	struct sockaddr_un sa;
	struct stat st;
	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errlen, "%s: socket path too long", path);
		return CB_EINVAL;
	}
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path));
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return CB_EIO;
	}
	/* Replace a stale socket file, but never a live server's. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s exists and is not a socket", path);
			close(s);
			return CB_EINVAL;
		}
		if (connect(s, (struct sockaddr *)&sa, sizeof sa) == 0) {
			snprintf(err, errlen, "%s: another server is listening", path);
			close(s);
			return CB_EEXIST;
		}
		unlink(path);
		close(s);
		s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0) {
			snprintf(err, errlen, "socket: %s", strerror(errno));
			return CB_EIO;
		}
	}
	mode_t old = umask(0177);
	int rc = bind(s, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (rc != 0 || listen(s, BACKLOG) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(s);
		return CB_EIO;
	}
	if (cfg->listen_group && *cfg->listen_group) {
		struct group *g = getgrnam(cfg->listen_group);
		if (!g)
			log_warn("%s: group '%s' does not exist; socket group unchanged",
			    path, cfg->listen_group);
		else if (chown(path, (uid_t)-1, g->gr_gid) != 0)
			log_warn("%s: chown to group %s: %s", path, cfg->listen_group,
			    strerror(errno));
	}
	if (chmod(path, (mode_t)cfg->listen_mode) != 0)
		log_warn("%s: chmod: %s", path, strerror(errno));
	*fd = s;
	*created = strdup(path);
	return CB_OK;
}

static cb_err
open_tcp(const char *spec, int *fd, char *err, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(spec, ':');
	struct addrinfo hints, *res = NULL;
	if (!colon || (size_t)(colon - spec) >= sizeof host) {
		snprintf(err, errlen, "%s: expected PATH or HOST:PORT", spec);
		return CB_EINVAL;
	}
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	/* [::1]:9000 */
	char *h = host;
	if (h[0] == '[' && h[strlen(h) - 1] == ']') {
		h[strlen(h) - 1] = '\0';
		h++;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	int gai = getaddrinfo(*h ? h : NULL, colon + 1, &hints, &res);
	if (gai != 0) {
		snprintf(err, errlen, "%s: %s", spec, gai_strerror(gai));
		return CB_EINVAL;
	}
	int s = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int on = 1;
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
	    bind(s, res->ai_addr, res->ai_addrlen) != 0 || listen(s, BACKLOG) != 0) {
		snprintf(err, errlen, "%s: %s", spec, strerror(errno));
		if (s >= 0)
			close(s);
		freeaddrinfo(res);
		return CB_EIO;
	}
	freeaddrinfo(res);
	*fd = s;
	return CB_OK;
}

static bool
is_listening_socket(int fd)
{
	int v = 0;
	socklen_t len = sizeof v;
	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v;
}

cb_err
listen_open(const struct config *cfg, const char *spec, int *fd,
    char **created, char *err, size_t errlen)
{
	cb_err e;
	*fd = -1;
	*created = NULL;
	if (spec && *spec) {
		if (strchr(spec, '/'))
			e = open_unix(cfg, spec, fd, created, err, errlen);
		else
			e = open_tcp(spec, fd, err, errlen);
		if (e != CB_OK)
			return e;
	} else {
		const char *pid = getenv("LISTEN_PID");
		const char *fds = getenv("LISTEN_FDS");
		if (pid && fds && strtol(pid, NULL, 10) == (long)getpid() &&
		    strtol(fds, NULL, 10) >= 1 && is_listening_socket(3)) {
			*fd = 3;
			unsetenv("LISTEN_PID");
			unsetenv("LISTEN_FDS");
			unsetenv("LISTEN_FDNAMES");
			log_info("listening on the socket from systemd (fd 3)");
		} else if (is_listening_socket(0)) {
			*fd = 0;
			log_info("listening on the socket passed on fd 0");
		} else {
			snprintf(err, errlen,
			    "no listening socket: pass --listen PATH|HOST:PORT, set"
			    " [server] listen, or start under systemd socket activation"
			    " or spawn-fcgi");
			return CB_EINVAL;
		}
	}
	int fl = fcntl(*fd, F_GETFL);
	if (fl < 0 || fcntl(*fd, F_SETFL, fl | O_NONBLOCK) != 0) {
		snprintf(err, errlen, "fcntl: %s", strerror(errno));
		return CB_EIO;
	}
	return CB_OK;
}
