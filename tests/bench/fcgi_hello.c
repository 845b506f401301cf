/*
 * fcgi_hello.c — the cheapest possible FastCGI responder (plain libfcgi,
 * blocking accept, no routing, no logging), for make bench: it shows what
 * the nginx → FastCGI transport costs by itself, so that comprobar's own
 * overhead can be read off as the gap between the two.
 * Usage: fcgi_hello SOCKET_PATH THREADS
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcgiapp.h>

static int sock;

static void *
serve(void *arg)
{
	FCGX_Request req;
	(void)arg;
	FCGX_InitRequest(&req, sock, 0);
	while (FCGX_Accept_r(&req) >= 0) {
		FCGX_PutS("Status: 200 OK\r\nContent-Type: application/json\r\n\r\n"
		          "{\"status\":\"ok\"}", req.out);
		FCGX_Finish_r(&req);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	FCGX_Init();
	sock = FCGX_OpenSocket(argv[1], 1024);
	if (sock < 0)
		return 1;
	chmod(argv[1], 0666);
	int n = (int)strtol(argv[2], NULL, 10);
	pthread_t t[64];
	for (int i = 0; i < n && i < 64; i++)
		pthread_create(&t[i], NULL, serve, NULL);
	for (int i = 0; i < n && i < 64; i++)
		pthread_join(t[i], NULL);
	return 0;
}
