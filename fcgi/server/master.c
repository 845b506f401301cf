/* master.c — see master.h. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ops/metrics.h"
#include "server/master.h"
#include "server/worker.h"
#include "util/log.h"

#define MAX_SLOTS 130
#define READY_TIMEOUT_S 30
#define STABLE_AFTER_S 10

enum slot_state { SLOT_EMPTY, SLOT_STARTING, SLOT_READY, SLOT_STOPPING };

struct slot {
	enum slot_state state;
	pid_t pid;
	int gen;
	int ready_fd;      /* read end of the readiness pipe, -1 when closed */
	int replaces;      /* slot index to stop once ready, or -1 */
	double started;    /* monotonic seconds */
};

struct master {
	struct config *cfg;     /* owned */
	struct metrics *metrics; /* shared with every worker (ops/metrics.h) */
	const char *config_path;
	int listen_fd;
	int sig_fd;
	struct slot slots[MAX_SLOTS];
	int generation;
	int crash_streak;
	double next_spawn;      /* no spawn before this (restart backoff) */
	bool shutting_down;
	double shutdown_deadline;
};

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
count(const struct master *m, bool current_gen_only, bool include_starting)
{
	int n = 0;
	for (int i = 0; i < MAX_SLOTS; i++) {
		const struct slot *s = &m->slots[i];
		if (s->state == SLOT_READY ||
		    (include_starting && s->state == SLOT_STARTING))
			if (!current_gen_only || s->gen == m->generation)
				n++;
	}
	return n;
}

static void
stop_slot(struct master *m, int i)
{
	struct slot *s = &m->slots[i];
	if (s->state == SLOT_EMPTY || s->state == SLOT_STOPPING)
		return;
	log_info("stopping worker pid=%ld", (long)s->pid);
	kill(s->pid, SIGTERM);
	s->state = SLOT_STOPPING;
	if (s->ready_fd >= 0) {
		close(s->ready_fd);
		s->ready_fd = -1;
	}
}

static int
spawn(struct master *m, int replaces)
{
	int i, p[2];
	for (i = 0; i < MAX_SLOTS; i++)
		if (m->slots[i].state == SLOT_EMPTY)
			break;
	if (i == MAX_SLOTS)
		return -1;
	if (pipe(p) != 0) {
		log_error("pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		log_error("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		/* The worker keeps only the socket, its pipe and stdio. */
		close(p[0]);
		close(m->sig_fd);
		for (int k = 0; k < MAX_SLOTS; k++)
			if (m->slots[k].ready_fd >= 0)
				close(m->slots[k].ready_fd);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		log_init(LOG_LVL_INFO, "comprobar-worker");
		enum log_level lvl;
		if (log_level_parse(m->cfg->log_level, &lvl) == 0)
			log_init(lvl, "comprobar-worker");
		int rc = worker_main(m->cfg, m->listen_fd, p[1], m->metrics);
		config_free(m->cfg);
		free(m->cfg);
		/* exit, not _exit: LeakSanitizer checks workers too. */
		exit(rc);
	}
	close(p[1]);
	struct slot *s = &m->slots[i];
	s->state = SLOT_STARTING;
	s->pid = pid;
	s->gen = m->generation;
	s->ready_fd = p[0];
	s->replaces = replaces;
	s->started = now_s();
	log_info("started worker pid=%ld (generation %d)", (long)pid, s->gen);
	return i;
}

/* Decides what to start or stop next; called after every event. */
static void
tick(struct master *m)
{
	double t = now_s();
	int target = m->cfg->workers;
	bool starting = false;
	int old = -1;

	if (m->shutting_down)
		return;
	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *s = &m->slots[i];
		if (s->state == SLOT_STARTING)
			starting = true;
		if ((s->state == SLOT_READY || s->state == SLOT_STARTING) &&
		    s->gen < m->generation && old < 0)
			old = i;
	}
	int cur = count(m, true, true);
	if (old >= 0) {
		/* Rolling replacement: one new worker at a time. */
		if (starting || t < m->next_spawn)
			return;
		if (cur < target)
			spawn(m, old);
		else
			stop_slot(m, old);
		return;
	}
	while (cur < target && t >= m->next_spawn) {
		if (spawn(m, -1) < 0)
			break;
		cur++;
	}
	for (int i = MAX_SLOTS - 1; i >= 0 && cur > target; i--)
		if (m->slots[i].state == SLOT_READY) {
			stop_slot(m, i);
			cur--;
		}
}

static void
reap(struct master *m)
{
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		int i;
		for (i = 0; i < MAX_SLOTS; i++)
			if (m->slots[i].state != SLOT_EMPTY && m->slots[i].pid == pid)
				break;
		if (i == MAX_SLOTS)
			continue;
		struct slot *s = &m->slots[i];
		bool expected = s->state == SLOT_STOPPING;
		double lived = now_s() - s->started;
		char how[64];
		if (WIFSIGNALED(st))
			snprintf(how, sizeof how, "signal %d (%s)", WTERMSIG(st),
			    strsignal(WTERMSIG(st)));
		else
			snprintf(how, sizeof how, "status %d", WEXITSTATUS(st));
		if (s->ready_fd >= 0)
			close(s->ready_fd);
		s->ready_fd = -1;
		s->state = SLOT_EMPTY;
		if (expected || m->shutting_down) {
			log_info("worker pid=%ld exited (%s)", (long)pid, how);
			continue;
		}
		/* Unexpected: restart, backing off while it keeps crashing. */
		if (lived < STABLE_AFTER_S)
			m->crash_streak++;
		else
			m->crash_streak = 0;
		double delay = 0;
		if (m->crash_streak > 1) {
			delay = 1;
			for (int k = 2; k < m->crash_streak && delay < 600; k++)
				delay *= 2;
			if (delay > m->cfg->restart_backoff_max)
				delay = m->cfg->restart_backoff_max;
		}
		m->next_spawn = now_s() + delay;
		log_warn("worker pid=%ld died (%s) after %.1f s; restarting in %.0f s",
		    (long)pid, how, lived, delay);
	}
}

static void
reload(struct master *m)
{
	char err[512];
	struct config *fresh = calloc(1, sizeof *fresh);
	if (!fresh)
		return;
	if (config_load(fresh, m->config_path, err, sizeof err) != CB_OK) {
		log_error("reload refused, keeping the running config: %s", err);
		config_free(fresh);
		free(fresh);
		return;
	}
	/* The socket cannot move without a restart: keep the one we hold. */
	free(fresh->listen);
	fresh->listen = strdup(m->cfg->listen ? m->cfg->listen : "");
	config_free(m->cfg);
	free(m->cfg);
	m->cfg = fresh;
	enum log_level lvl;
	if (log_level_parse(fresh->log_level, &lvl) == 0)
		log_init(lvl, "comprobar");
	/* Workers fork from here and inherit the zone. */
	setenv("TZ", fresh->timezone, 1);
	tzset();
	m->generation++;
	m->crash_streak = 0;
	m->next_spawn = 0;
	log_info("reloading: replacing workers one at a time (generation %d)",
	    m->generation);
}

static void
begin_shutdown(struct master *m, int sig)
{
	if (m->shutting_down)
		return;
	m->shutting_down = true;
	m->shutdown_deadline = now_s() + m->cfg->shutdown_timeout + 2;
	log_info("signal %d: stopping %d workers gracefully", sig,
	    count(m, false, true));
	for (int i = 0; i < MAX_SLOTS; i++)
		stop_slot(m, i);
}

int
master_run(struct config *cfg, const char *config_path, int listen_fd)
{
	struct master m;
	sigset_t set;

	memset(&m, 0, sizeof m);
	m.cfg = cfg;
	m.config_path = config_path;
	m.listen_fd = listen_fd;
	for (int i = 0; i < MAX_SLOTS; i++)
		m.slots[i].ready_fd = -1;
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	m.sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (m.sig_fd < 0) {
		log_error("signalfd: %s", strerror(errno));
		return 1;
	}
	log_info("master pid=%ld: %d workers x %d threads", (long)getpid(),
	    cfg->workers, cfg->threads);
	/* Before any fork: every worker counts into the same block. */
	if (metrics_new_shared(&m.metrics) != CB_OK)
		log_warn("metrics: no shared memory; /metrics shows this worker only");

	for (;;) {
		tick(&m);
		if (m.shutting_down && count(&m, false, true) == 0) {
			bool any = false;
			for (int i = 0; i < MAX_SLOTS; i++)
				any |= m.slots[i].state != SLOT_EMPTY;
			if (!any)
				break;
		}
		struct pollfd pfd[MAX_SLOTS + 1];
		int idx[MAX_SLOTS + 1];
		nfds_t n = 0;
		pfd[n].fd = m.sig_fd;
		pfd[n].events = POLLIN;
		idx[n++] = -1;
		for (int i = 0; i < MAX_SLOTS; i++)
			if (m.slots[i].state == SLOT_STARTING && m.slots[i].ready_fd >= 0) {
				pfd[n].fd = m.slots[i].ready_fd;
				pfd[n].events = POLLIN;
				idx[n++] = i;
			}
		int timeout = 1000;
		double t = now_s();
		if (m.next_spawn > t && (m.next_spawn - t) * 1000 < timeout)
			timeout = (int)((m.next_spawn - t) * 1000) + 1;
		int r = poll(pfd, n, timeout);
		if (r < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			break;
		}
		if (r > 0 && (pfd[0].revents & POLLIN)) {
			struct signalfd_siginfo si;
			while (read(m.sig_fd, &si, sizeof si) == sizeof si) {
				switch (si.ssi_signo) {
				case SIGCHLD:
					break; /* reaped below */
				case SIGHUP:
					if (!m.shutting_down)
						reload(&m);
					break;
				default:
					begin_shutdown(&m, (int)si.ssi_signo);
				}
			}
		}
		for (nfds_t k = 1; r > 0 && k < n; k++) {
			if (!pfd[k].revents)
				continue;
			struct slot *s = &m.slots[idx[k]];
			char b;
			if (read(s->ready_fd, &b, 1) == 1 && s->state == SLOT_STARTING) {
				s->state = SLOT_READY;
				log_info("worker pid=%ld ready", (long)s->pid);
				if (s->replaces >= 0)
					stop_slot(&m, s->replaces);
			}
			close(s->ready_fd);
			s->ready_fd = -1;
		}
		reap(&m);
		t = now_s();
		for (int i = 0; i < MAX_SLOTS; i++) {
			struct slot *s = &m.slots[i];
			if (s->state == SLOT_STARTING && t - s->started > READY_TIMEOUT_S) {
				log_error("worker pid=%ld not ready after %d s; killing it",
				    (long)s->pid, READY_TIMEOUT_S);
				kill(s->pid, SIGKILL);
				s->state = SLOT_STOPPING;
			}
		}
		if (m.shutting_down && t > m.shutdown_deadline) {
			for (int i = 0; i < MAX_SLOTS; i++)
				if (m.slots[i].state != SLOT_EMPTY) {
					log_warn("worker pid=%ld did not stop; killing it",
					    (long)m.slots[i].pid);
					kill(m.slots[i].pid, SIGKILL);
				}
			m.shutdown_deadline = t + 5;
		}
	}
	close(m.sig_fd);
	config_free(m.cfg);
	free(m.cfg);
	log_info("master stopped");
	return 0;
}
