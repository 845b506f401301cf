/* test_webhooks.c — signatures (the conventions' known answer), the
 * outbound address policy, the retry schedule, URL checks and the job
 * kinds that deliver. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/config.h"
#include "core/retry_schedule.h"
#include "core/webhook_events.h"
#include "crypto/crypto.h"
#include "crypto/jwt.h"
#include "crypto/webhook_sign.h"
#include "util/codec.h"
#include "jobs/kinds.h"
#include "net/addr_policy.h"
#include "net/outbound.h"
#include "ocr/convert.h"
#include "ops/metrics.h"
#include "unit.h"

static const char *
test_method(size_t i)
{
	(void)i;
	return "GET";
}

static const char *
test_pattern(size_t i)
{
	(void)i;
	return "/x\"y";
}

START_TEST(known_answer_signature)
{
	/* API-CONVENTIONS "Webhooks". */
	char sig[WEBHOOK_SIG_MAX];
	const char *body = "{\"test\": 2432232314}";
	ck_assert_int_eq(webhook_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	    "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, strlen(body), sig),
	    CB_OK);
	ck_assert_str_eq(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	/* Another body, id or time: another signature. */
	char other[WEBHOOK_SIG_MAX];
	ck_assert_int_eq(webhook_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	    "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, body, strlen(body),
	    other), CB_OK);
	ck_assert_str_ne(sig, other);
	/* Not a secret: refused, not signed with garbage. */
	ck_assert_int_eq(webhook_sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "m", 1,
	    body, 1, sig), CB_EINVAL);
	ck_assert_int_eq(webhook_sign("whsec_c2hvcnQ=", "m", 1, body, 1, sig),
	    CB_EINVAL); /* 5 bytes: too short */
	ck_assert_int_eq(webhook_sign("whsec_!!!!", "m", 1, body, 1, sig),
	    CB_EINVAL);
	char *s = NULL;
	ck_assert_int_eq(webhook_secret_new(&s), CB_OK);
	ck_assert(strncmp(s, "whsec_", 6) == 0);
	ck_assert_int_eq(webhook_sign(s, "m", 1, body, 1, sig), CB_OK);
	free(s);
}
END_TEST

static const char *
denied(const struct addr_policy *p, const char *text)
{
	bool is_addr;
	const char *why = addr_policy_denied_text(p, text, &is_addr);
	ck_assert_msg(is_addr, "%s", text);
	return why;
}

START_TEST(address_policy)
{
	struct addr_policy none, some;
	char why[160];
	ck_assert_int_eq(addr_policy_parse("", &none, why, sizeof why), CB_OK);
	static const char *const bad[] = {"0.1.2.3", "10.0.0.1", "100.64.0.1",
	    "100.127.255.255", "127.0.0.1", "127.255.0.9", "169.254.169.254",
	    "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.168.1.1",
	    "198.18.0.1", "198.19.255.255", "224.0.0.1", "239.1.1.1",
	    "240.0.0.1", "255.255.255.255", "::", "::1", "::127.0.0.1",
	    "::ffff:127.0.0.1", "::ffff:8.8.8.8", "64:ff9b::a00:1", "2002:a00:1::",
	    "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "ff02::1",
	    /* the rest of IANA's special-purpose registries (fec0::/10 was
	     * once let through) */
	    "fec0::1", "feff::1", "2001:db8::1", "2001::1", "2001:2::1",
	    "3fff::1", "100::1", "64:ff9b:1::1", "5f00::1", "192.0.2.1",
	    "198.51.100.7", "203.0.113.9", "192.88.99.1", NULL};
	for (const char *const *a = bad; *a; a++)
		ck_assert_msg(denied(&none, *a) != NULL, "%s allowed", *a);
	static const char *const good[] = {"8.8.8.8", "100.63.255.255",
	    "100.128.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.1",
	    "192.169.0.1", "198.17.255.255", "198.20.0.0", "223.255.255.255",
	    "2606:4700::1111", "2001:4860:4860::8888", "2a00:1450::1",
	    "2001:200::1", "192.0.3.1", "203.0.114.1", "fbff::1", NULL};
	for (const char *const *a = good; *a; a++)
		ck_assert_msg(denied(&none, *a) == NULL, "%s denied", *a);
	ck_assert_str_eq(denied(&none, "169.254.169.254"),
	    "169.254.0.0/16 (link-local, cloud metadata)");
	/* The allowlist admits exactly what it says, wrapped or not. */
	ck_assert_int_eq(addr_policy_parse("127.0.0.2, 10.9.0.0/16 fd00::/8",
	    &some, why, sizeof why), CB_OK);
	ck_assert_uint_eq(some.nallow, 3);
	ck_assert_ptr_null(denied(&some, "127.0.0.2"));
	ck_assert_ptr_null(denied(&some, "::ffff:127.0.0.2"));
	ck_assert_ptr_nonnull(denied(&some, "127.0.0.1"));
	ck_assert_ptr_null(denied(&some, "10.9.200.1"));
	ck_assert_ptr_nonnull(denied(&some, "10.10.0.1"));
	ck_assert_ptr_null(denied(&some, "fd00::5"));
	/* The sockaddr form, as the connect callback sees it. */
	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
	inet_pton(AF_INET6, "::ffff:169.254.169.254", &s6.sin6_addr);
	ck_assert_ptr_nonnull(addr_policy_denied(&some, (struct sockaddr *)&s6));
	struct sockaddr_in s4 = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.2", &s4.sin_addr);
	ck_assert_ptr_null(addr_policy_denied(&some, (struct sockaddr *)&s4));
	/* Nonsense is refused with a reason. */
	static const char *const junk[] = {"127.0.0.1/33", "::1/129", "host.example",
	    "10.0.0.0/", "1.2.3", NULL};
	for (const char *const *j = junk; *j; j++)
		ck_assert_msg(addr_policy_parse(*j, &some, why, sizeof why) ==
		    CB_EINVAL, "%s", *j);
}
END_TEST

START_TEST(retry_schedule_with_jitter_and_retry_after)
{
	struct retry_schedule s;
	double d;
	ck_assert_int_eq(retry_schedule_parse("0,5,300,1800,7200,18000,36000,36000",
	    &s), CB_OK);
	ck_assert_int_eq(s.n, 8);
	ck_assert(retry_schedule_next(&s, 0, 0, 10, -1, 86400, &d) && d == 0);
	ck_assert(retry_schedule_next(&s, 1, 0, 10, -1, 86400, &d) && d == 5);
	ck_assert(retry_schedule_next(&s, 2, 1, 10, -1, 86400, &d) && d == 330);
	ck_assert(retry_schedule_next(&s, 2, -1, 10, -1, 86400, &d) && d == 270);
	/* Retry-After wins when longer, capped. */
	ck_assert(retry_schedule_next(&s, 1, 0, 10, 120, 86400, &d) && d == 120);
	ck_assert(retry_schedule_next(&s, 2, 0, 10, 120, 86400, &d) && d == 300);
	ck_assert(retry_schedule_next(&s, 1, 0, 10, 999999, 600, &d) && d == 600);
	/* Eight attempts, then failed. */
	ck_assert(retry_schedule_next(&s, 7, 0, 0, -1, 86400, &d) && d == 36000);
	ck_assert(!retry_schedule_next(&s, 8, 0, 0, -1, 86400, &d));
	static const char *const bad[] = {"", "1,,2", "-1", "a", "1,2,", " ",
	    "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", "99999999999", NULL};
	for (const char *const *b = bad; *b; b++)
		ck_assert_msg(retry_schedule_parse(*b, &s) == CB_EINVAL, "%s", *b);
}
END_TEST

START_TEST(urls_judged_before_connecting)
{
	struct config cfg;
	struct outbound_opts o;
	const char *code;
	char why[300];
	ck_assert_int_eq(config_defaults(&cfg), CB_OK);
	ck_assert_int_eq(outbound_opts_receipts(&cfg, &o), CB_OK);
	ck_assert_int_eq(outbound_url_check(&o, "https://bank.example/r.png", false,
	    &code, why, sizeof why), CB_OK);
	static const struct {
		const char *url, *code;
	} refused[] = {
		{"http://bank.example/r.png", "scheme_not_allowed"}, /* https only */
		{"file:///etc/passwd", "scheme_not_allowed"},
		{"gopher://example.com/", "scheme_not_allowed"},
		{"ftp://example.com/r.png", "scheme_not_allowed"},
		{"https://127.0.0.1/", "address_denied"},
		{"https://[::1]/", "address_denied"},
		{"https://[::ffff:127.0.0.1]/", "address_denied"},
		{"https://[fe80::1%25eth0]/", "address_denied"},
		{"https://169.254.169.254/latest/", "address_denied"},
		{"r.png", "invalid"},
		{"https://", "invalid"},
		{"https://user@/x", "invalid"},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		ck_assert_msg(outbound_url_check(&o, refused[i].url, false, &code,
		    why, sizeof why) == CB_EINVAL, "%s", refused[i].url);
		ck_assert_msg(strcmp(code, refused[i].code) == 0, "%s: %s",
		    refused[i].url, code);
	}
	/* localhost is judged by what it resolves to. */
	ck_assert_int_eq(outbound_url_check(&o, "https://localhost/", true, &code,
	    why, sizeof why), CB_EINVAL);
	ck_assert_str_eq(code, "address_denied");
	/* Webhooks follow no redirects. */
	ck_assert_int_eq(outbound_opts_webhooks(&cfg, &o), CB_OK);
	ck_assert_int_eq(o.max_redirects, 0);
	ck_assert_int_eq(o.total_timeout_ms, 15000);
	config_free(&cfg);
}
END_TEST

START_TEST(delivery_kinds_run_in_production)
{
	struct config cfg;
	size_t n;
	ck_assert_int_eq(config_defaults(&cfg), CB_OK);
	const struct job_kind *k = job_kinds(&cfg, &n);
	bool deliver = false, fetch = false;
	for (size_t i = 0; i < n; i++) {
		deliver = deliver || strcmp(k[i].kind, "webhook.deliver") == 0;
		fetch = fetch || strcmp(k[i].kind, "receipt.fetch") == 0;
	}
	ck_assert(deliver && fetch);
	ck_assert(webhook_event_known("payment.reversed"));
	ck_assert(!webhook_event_known("payment.exploded"));
	ck_assert(webhook_event_is_callback("payment.validated"));
	ck_assert(!webhook_event_is_callback("payment.created"));
	config_free(&cfg);
}
END_TEST

START_TEST(config_refuses_bad_schedule_and_allowlist)
{
	struct config cfg;
	char err[256];
	static const char *const bad[] = {
		"[webhooks]\nschedule = 0,,5\n",
		"[outbound]\nallow = 127.0.0.1/40\n",
		"[outbound]\nreceipt_max_redirects = 4\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(config_defaults(&cfg), CB_OK);
		ck_assert_int_eq(config_parse(&cfg, bad[i], strlen(bad[i]), "t.conf",
		    err, sizeof err), CB_EINVAL);
		ck_assert_msg(strstr(err, "t.conf:2"), "%s", err);
		config_free(&cfg);
	}
}
END_TEST

START_TEST(other_receipt_formats_become_png)
{
	/* A 1 x 1 GIF. */
	static const unsigned char gif[] = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1,
	    0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x21, 0xf9, 4, 1, 0, 0, 0,
	    0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 1, 0x44, 0, 0x3b};
	unsigned char *png = NULL;
	size_t len = 0;
	char why[160];
	ck_assert_str_eq(ocr_convertible(gif, sizeof gif), "GIF");
	ck_assert_ptr_null(ocr_convertible((const unsigned char *)"\x89PNG\r\n\x1a\n", 8));
	ck_assert_str_eq(ocr_convertible((const unsigned char *)"RIFF\0\0\0\0WEBPVP8 ",
	    16), "WebP");
	ck_assert_str_eq(ocr_convertible((const unsigned char *)"II*\0\x08\0\0\0", 8),
	    "TIFF");
	ck_assert_int_eq(ocr_convert_png(gif, sizeof gif, 1000, &png, &len, why,
	    sizeof why), CB_OK);
	ck_assert(len > 8 && memcmp(png, "\x89PNG", 4) == 0);
	free(png);
	/* A BMP header that claims 20000 x 20000: refused before decoding. */
	unsigned char bmp[64] = {'B', 'M'};
	int32_t w = 20000, h = -20000;
	memcpy(bmp + 18, &w, 4);
	memcpy(bmp + 22, &h, 4);
	ck_assert_int_eq(ocr_convert_png(bmp, sizeof bmp, 40000000, &png, &len,
	    why, sizeof why), CB_ETOOBIG);
	ck_assert_msg(strstr(why, "20000 x 20000"), "%s", why);
	/* Garbage after a GIF signature is refused, not decoded. */
	unsigned char junk[32] = "GIF89a\x01\x00\x01\x00";
	ck_assert_int_ne(ocr_convert_png(junk, sizeof junk, 1000, &png, &len,
	    why, sizeof why), CB_OK);
}
END_TEST

START_TEST(jwt_rfc7515_vector_and_refusals)
{
	/* RFC 7515 appendix A.1: HS256. */
	static const char k64[] = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS"
	    "0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
	static const char tok[] = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
	    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxl"
	    "LmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
	unsigned char key[64];
	size_t klen;
	char why[200];
	json_object *claims;
	ck_assert_int_eq(base64url_decode(k64, strlen(k64), key, sizeof key, &klen),
	    CB_OK);
	ck_assert_uint_eq(klen, 64);
	struct jwt_keys k = {.hs256 = key, .hs256_len = klen};
	struct jwt_rules r = {.issuer = "joe", .leeway = 30, .now = 1300819000};
	ck_assert_int_eq(jwt_verify(tok, &k, &r, &claims, why, sizeof why), CB_OK);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(claims,
	    "iss")), "joe");
	json_object_put(claims);
	/* Expired (past the leeway), wrong issuer, wrong audience. */
	r.now = 1300819380 + 31;
	ck_assert_int_eq(jwt_verify(tok, &k, &r, &claims, why, sizeof why),
	    CB_EINVAL);
	ck_assert_msg(strstr(why, "expired"), "%s", why);
	r.now = 1300819380 + 29;
	ck_assert_int_eq(jwt_verify(tok, &k, &r, &claims, why, sizeof why), CB_OK);
	json_object_put(claims);
	r.issuer = "bob";
	ck_assert_int_eq(jwt_verify(tok, &k, &r, &claims, why, sizeof why),
	    CB_EINVAL);
	r.issuer = NULL;
	r.audience = "comprobar";
	ck_assert_int_eq(jwt_verify(tok, &k, &r, &claims, why, sizeof why),
	    CB_EINVAL);
	r.audience = NULL;
	/* One bit of the signature, or no HS256 key: refused. */
	char bad[sizeof tok];
	memcpy(bad, tok, sizeof tok);
	bad[sizeof tok - 3] = bad[sizeof tok - 3] == 'X' ? 'Y' : 'X';
	ck_assert_int_eq(jwt_verify(bad, &k, &r, &claims, why, sizeof why),
	    CB_EINVAL);
	struct jwt_keys none = {0};
	ck_assert_int_eq(jwt_verify(tok, &none, &r, &claims, why, sizeof why),
	    CB_EINVAL);
	/* alg none, with or without a signature part. */
	static const char *const junk[] = {
	    "eyJhbGciOiJub25lIn0.eyJleHAiOjk5OTk5OTk5OTl9.",
	    "eyJhbGciOiJub25lIn0.eyJleHAiOjk5OTk5OTk5OTl9.AAAA",
	    "eyJhbGciOiJub25lIn0.eyJleHAiOjk5OTk5OTk5OTl9",
	    "a.b.c.d", "..", "", "e30.e30.e30",
	};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
		ck_assert_msg(jwt_verify(junk[i], &k, &r, &claims, why, sizeof why) ==
		    CB_EINVAL, "%s", junk[i]);
	/* Loading: a short secret or a file that is no RSA key is left out,
	 * and said; nothing configured is no keys at all. */
	struct jwt_keys *ks = NULL;
	ck_assert_int_eq(jwt_keys_load("c2hvcnQ", "", "/nonexistent.pem", "", &ks,
	    why, sizeof why), CB_EINVAL);
	ck_assert_ptr_nonnull(ks);
	ck_assert(!ks->hs256 && !ks->rs256 && *why);
	jwt_keys_free(ks);
	ck_assert_int_eq(jwt_keys_load(k64, "k1", "", "", &ks, why, sizeof why),
	    CB_OK);
	ck_assert(ks->hs256_len == 64 && !ks->rs256);
	r.issuer = "joe";
	r.now = 1300819000;
	ck_assert_int_eq(jwt_verify(tok, ks, &r, &claims, why, sizeof why), CB_OK);
	json_object_put(claims);
	r.issuer = NULL;
	jwt_keys_free(ks);
	/* base64url: no padding, no other alphabet, canonical tail. */
	unsigned char out[8];
	size_t n;
	ck_assert_int_eq(base64url_decode("AA==", 4, out, sizeof out, &n), CB_EINVAL);
	ck_assert_int_eq(base64url_decode("A+", 2, out, sizeof out, &n), CB_EINVAL);
	ck_assert_int_eq(base64url_decode("AB", 2, out, sizeof out, &n), CB_EINVAL);
	ck_assert_int_eq(base64url_decode("AA", 2, out, sizeof out, &n), CB_OK);
	ck_assert_uint_eq(n, 1);
}
END_TEST

/* An HS256 token over a payload written as text (key "k" * 32). */
static char *
mint(const char *payload)
{
	static const unsigned char key[32] = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";
	const char *h = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	size_t hl = strlen(h), pl = strlen(payload);
	char *t = malloc(base64_encoded_len(hl) + base64_encoded_len(pl) +
	    base64_encoded_len(32) + 3);
	base64_encode((const unsigned char *)h, hl, t, true);
	size_t o = strlen(t);
	t[o++] = '.';
	base64_encode((const unsigned char *)payload, pl, t + o, true);
	o = strlen(t);
	unsigned char mac[32];
	struct crypto_part part = {t, o};
	ck_assert_int_eq(crypto_hmac_sha256(key, 32, &part, 1, mac), CB_OK);
	t[o++] = '.';
	base64_encode(mac, 32, t + o, true);
	return t;
}

START_TEST(jwt_expiry_must_be_a_near_real_date)
{
	static const unsigned char key[32] = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";
	struct jwt_keys k = {.hs256 = (unsigned char *)key, .hs256_len = 32};
	struct jwt_rules r = {.leeway = 30, .now = 1800000000,
	    .max_lifetime = 86400};
	char why[200];
	json_object *claims;
	char *ok = mint("{\"sub\":\"a\",\"exp\":1800003600}");
	ck_assert_int_eq(jwt_verify(ok, &k, &r, &claims, why, sizeof why), CB_OK);
	json_object_put(claims);
	free(ok);
	static const char *const bad[] = {
	    "{\"sub\":\"a\",\"exp\":NaN}", "{\"sub\":\"a\",\"exp\":Infinity}",
	    "{\"sub\":\"a\",\"exp\":1e308}", "{\"sub\":\"a\",\"exp\":-Infinity}",
	    "{\"sub\":\"a\",\"exp\":1800090000}",          /* a day and more */
	    "{\"sub\":\"a\",\"exp\":1800003600,\"nbf\":NaN}",
	    /* a claim twice: json-c kept the last */
	    "{\"sub\":\"a\",\"exp\":1800003600,\"sub\":\"admin\"}",
	    "{\"sub\":\"a\",\"exp\":1,\"exp\":1800003600}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *t = mint(bad[i]);
		ck_assert_msg(jwt_verify(t, &k, &r, &claims, why, sizeof why) ==
		    CB_EINVAL, "accepted: %s", bad[i]);
		free(t);
	}
}
END_TEST

START_TEST(metrics_shared_and_rendered)
{
	struct metrics *m;
	struct buf b;
	ck_assert_int_eq(metrics_new_shared(&m), CB_OK);
	metrics_request(m, 0, 200, 0.4);
	metrics_request(m, 0, 200, 30);
	metrics_request(m, 0, 599, 1);
	metrics_request(m, -1, 404, 2);
	metrics_ocr(m, 1.5);
	metrics_webhook(m, MW_FAILED);
	buf_init(&b, 1 << 20);
	ck_assert_int_eq(metrics_render(m, 1, test_method, test_pattern, &b), CB_OK);
	ck_assert_ptr_nonnull(strstr(b.data, "comprobar_http_requests_total{method="
	    "\"GET\",route=\"/x\\\"y\",status=\"200\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "status=\"other\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "route=\"(none)\",status=\"404\"} 1"));
	ck_assert_ptr_nonnull(strstr(b.data, "le=\"0.001\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "le=\"0.05\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "comprobar_ocr_seconds_bucket{le=\"2\"}"
	    " 1\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "outcome=\"failed\"} 1\n"));
	buf_free(&b);
	ck_assert(metrics_loopback("127.0.0.1") && metrics_loopback("::1") &&
	    metrics_loopback("::ffff:127.0.0.9"));
	ck_assert(!metrics_loopback("10.0.0.1") && !metrics_loopback("::2") &&
	    !metrics_loopback(NULL) && !metrics_loopback("1270.0.0.1"));
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("webhooks");
	TCase *t = tcase_create("webhooks");
	tcase_add_test(t, known_answer_signature);
	tcase_add_test(t, address_policy);
	tcase_add_test(t, retry_schedule_with_jitter_and_retry_after);
	tcase_add_test(t, urls_judged_before_connecting);
	tcase_add_test(t, delivery_kinds_run_in_production);
	tcase_add_test(t, config_refuses_bad_schedule_and_allowlist);
	tcase_add_test(t, other_receipt_formats_become_png);
	tcase_add_test(t, jwt_rfc7515_vector_and_refusals);
	tcase_add_test(t, jwt_expiry_must_be_a_near_real_date);
	tcase_add_test(t, metrics_shared_and_rendered);
	suite_add_tcase(s, t);
	return s;
}
