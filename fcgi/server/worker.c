/* worker.c — see worker.h. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <mysql.h>

#include "jobs/kinds.h"
#include "jobs/pool.h"
#include "server/dispatch.h"
#include "crypto/jwt.h"
#include "server/dispatch.h"
#include "server/worker.h"
#include "storage/storage.h"
#include "web/web.h"
#include "store/db.h"
#include "ocr/model.h"
#include "util/log.h"
#include "util/tgroup.h"

struct worker {
	const struct config *cfg; /* borrowed */
	int listen_fd;
	int stop_fd;              /* eventfd: readable once stopping */
	atomic_bool stopping;
	struct tgroup group;      /* request threads not yet returned */
	struct job_pool *jobs;    /* owned: the job threads */
	struct storage *storage;  /* owned: where documents live */
	struct web *web;          /* owned: templates and messages */
	struct job_env env;       /* what job handlers share */
	struct ocr_model *model;  /* [ocr] model, or NULL: the built-in one */
	struct metrics *metrics;  /* borrowed: shared with the other workers */
	struct jwt_keys *jwt;     /* owned: seed 001's token keys */
	struct dispatch_env denv; /* what every request borrows */
};

struct rthread {
	struct worker *w;
	pthread_t tid;
	int index;
	bool started;
};

static void *
request_thread(void *arg)
{
	struct rthread *t = arg;
	struct worker *w = t->w;
	FCGX_Request req;
	struct db_conn db;
	struct epoll_event ev, evs[2];
	int epfd = -1;

	mysql_thread_init();
	db_conn_init(&db, w->cfg);
	if (FCGX_InitRequest(&req, w->listen_fd, 0) != 0) {
		log_error("thread %d: FCGX_InitRequest failed", t->index);
		goto out;
	}
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0) {
		log_error("thread %d: epoll_create1: %s", t->index, strerror(errno));
		goto out;
	}
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.fd = w->listen_fd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, w->listen_fd, &ev) != 0) {
		log_error("thread %d: epoll_ctl: %s", t->index, strerror(errno));
		goto out;
	}
	ev.events = EPOLLIN;
	ev.data.fd = w->stop_fd;
	epoll_ctl(epfd, EPOLL_CTL_ADD, w->stop_fd, &ev);

	while (!atomic_load(&w->stopping)) {
		int n = epoll_wait(epfd, evs, 2, 1000);
		if (n < 0 && errno != EINTR) {
			log_error("thread %d: epoll_wait: %s", t->index, strerror(errno));
			break;
		}
		if (n <= 0 || atomic_load(&w->stopping))
			continue;
		int rc = FCGX_Accept_r(&req);
		if (rc < 0) {
			/* Another thread or process took the connection. */
			if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR ||
			    rc == -ECONNABORTED)
				continue;
			log_warn("thread %d: accept failed (%d)", t->index, rc);
			struct timespec pause = {0, 50 * 1000000L};
			nanosleep(&pause, NULL);
			continue;
		}
		dispatch_request(&req, w->cfg, &db, &w->denv);
		FCGX_Finish_r(&req);
	}
out:
	if (epfd >= 0)
		close(epfd);
	FCGX_Free(&req, 0);
	db_conn_close(&db);
	mysql_thread_end();
	tgroup_leave(&w->group);
	return NULL;
}

int
worker_main(const struct config *cfg, int listen_fd, int ready_fd,
    struct metrics *metrics)
{
	struct worker w = {.cfg = cfg, .listen_fd = listen_fd, .metrics = metrics};
	struct rthread *threads = NULL;
	sigset_t all, wait_set;
	int status = 0, sig = 0;

	/* Die with the master rather than serve with nobody to restart us. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	signal(SIGPIPE, SIG_IGN);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	if (FCGX_Init() != 0) {
		log_error("FCGX_Init failed");
		return 1;
	}
	w.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w.stop_fd < 0) {
		log_error("eventfd: %s", strerror(errno));
		return 1;
	}
	atomic_init(&w.stopping, false);
	tgroup_init(&w.group);
	if (storage_local_new(cfg->storage_root, &w.storage) != CB_OK) {
		log_error("cannot use [storage] root %s", cfg->storage_root);
		return 1;
	}
	char werr[512] = "";
	if (web_load(cfg, &w.web, werr, sizeof werr) != CB_OK) {
		/* Templates are checked once, here: a broken one stops the
		 * worker (and so a reload) with its file and line. */
		log_error("templates: %s", werr);
		storage_free(w.storage);
		return 1;
	}
	/* Token keys are decoded and parsed once, here, not per request; a
	 * bad one is said now and its tokens refused. */
	if (jwt_keys_load(cfg->jwt_hs256_secret, cfg->jwt_hs256_kid,
	    cfg->jwt_rs256_public_key_file, cfg->jwt_rs256_kid, &w.jwt, werr,
	    sizeof werr) != CB_OK) {
		if (!w.jwt) {
			web_free(w.web);
			storage_free(w.storage);
			return 1;
		}
		log_error("jwt: %s", werr);
	}
	/* An installation's refitted OCR model ([ocr] model): a file that is
	 * not one stops the worker (and so a reload), as templates do. */
	if (cfg->ocr_model && *cfg->ocr_model &&
	    ocr_model_load(cfg->ocr_model, &w.model, werr, sizeof werr) != CB_OK) {
		log_error("[ocr] model: %s", werr);
		jwt_keys_free(w.jwt);
		web_free(w.web);
		storage_free(w.storage);
		return 1;
	}
	if (w.model)
		log_info("OCR model: %s", ocr_model_origin(w.model));
	w.denv = (struct dispatch_env){.storage = w.storage, .web = w.web,
	    .metrics = metrics, .jwt = w.jwt};
	size_t nkinds;
	const struct job_kind *kinds = job_kinds(cfg, &nkinds);
	w.env.storage = w.storage;
	w.env.metrics = metrics;
	w.env.ocr_model = w.model;
	if (job_pool_start(cfg, kinds, nkinds, &w.env, &w.jobs) != CB_OK) {
		log_error("cannot start the job threads");
		status = 1;
		goto stop;
	}
	/* Before any request thread starts: they read denv unlocked. */
	w.denv.jobs = w.jobs;
	threads = calloc((size_t)cfg->threads, sizeof *threads);
	if (!threads) {
		status = 1;
		goto stop;
	}
	for (int i = 0; i < cfg->threads; i++) {
		threads[i].w = &w;
		threads[i].index = i;
		tgroup_enter(&w.group);
		if (pthread_create(&threads[i].tid, NULL, request_thread,
		        &threads[i]) != 0) {
			tgroup_leave(&w.group);
			log_error("cannot start request thread %d", i);
			status = 1;
			goto stop;
		}
		threads[i].started = true;
	}
	log_info("worker ready: %d request threads, %d job threads", cfg->threads,
	    cfg->job_threads);
	if (ready_fd >= 0) {
		ssize_t r = write(ready_fd, "R", 1);
		(void)r;
		close(ready_fd);
	}

	sigemptyset(&wait_set);
	sigaddset(&wait_set, SIGTERM);
	sigaddset(&wait_set, SIGINT);
	while (sigwait(&wait_set, &sig) != 0)
		;
	log_info("worker stopping (signal %d): finishing requests in flight", sig);
stop:
	atomic_store(&w.stopping, true);
	uint64_t one = 1;
	ssize_t r = write(w.stop_fd, &one, sizeof one);
	(void)r;
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += cfg->shutdown_timeout;
	if (!tgroup_wait(&w.group, &deadline)) {
		log_warn("requests still running after %d s; exiting anyway",
		    cfg->shutdown_timeout);
		_exit(1);
	}
	for (int i = 0; threads && i < cfg->threads; i++)
		if (threads[i].started)
			pthread_join(threads[i].tid, NULL);
	/* Running jobs finish too; one that does not is retried elsewhere
	 * once its lease expires. */
	if (w.jobs && !job_pool_stop(w.jobs, &deadline)) {
		log_warn("jobs still running after %d s; exiting anyway",
		    cfg->shutdown_timeout);
		_exit(1);
	}
	job_pool_free(w.jobs);
	storage_free(w.storage);
	web_free(w.web);
	jwt_keys_free(w.jwt);
	ocr_model_free(w.model);
	free(threads);
	close(w.stop_fd);
	tgroup_destroy(&w.group);
	log_info("worker stopped");
	return status;
}
