/* test_tmpl.c — the template engine: every directive, layouts and
 * includes, escaping in text and attributes, URL checks, and compile
 * errors that name the file and line. */
#include <stdio.h>
#include <string.h>

#include "tmpl/tmpl.h"
#include "unit.h"

static struct tmpl_set *set;
static char err[512];

static void
add(const char *name, const char *xml)
{
	err[0] = '\0';
	ck_assert_msg(tmpl_set_add(set, name, xml, strlen(xml), err, sizeof err) ==
	    CB_OK, "%s", err);
}

static char *
render(const char *name, const char *model_json)
{
	static char out[8192];
	json_object *m = json_tokener_parse(model_json);
	struct buf b;
	buf_init(&b, 1 << 16);
	err[0] = '\0';
	cb_err e = tmpl_render(set, name, m, &b, err, sizeof err);
	ck_assert_msg(e == CB_OK, "%s", err);
	snprintf(out, sizeof out, "%s", b.data);
	buf_free(&b);
	json_object_put(m);
	/* Skip "<!DOCTYPE html>\n". */
	ck_assert(strncmp(out, "<!DOCTYPE html>\n", 16) == 0);
	return out + 16;
}

static void
setup(void)
{
	ck_assert(tmpl_set_new(&set) == CB_OK);
}

static void
teardown(void)
{
	tmpl_set_free(set);
	set = NULL;
}

#define T "xmlns:t=\"urn:comprobar:tmpl\""

START_TEST(directives)
{
	add("p.xhtml", "<div " T " class=\"x\"><h1 t:text=\"title\">placeholder</h1>"
	    "<p t:if=\"show\">shown</p><p t:unless=\"show\">hidden</p>"
	    "<ul><li t:each=\"it items\" t:attr=\"data-i it_index; title it.name\">"
	    "<b t:text=\"it.name\"/>=<i t:text=\"it.n\"/></li></ul>"
	    "<span t:text=\"items.length\"/><t:block t:if=\"items.length\">any</t:block>"
	    "<img src=\"/static/a.png\" alt=\"\"/><br/></div>");
	const char *out = render("p.xhtml", "{\"title\":\"Cola\",\"show\":true,"
	    "\"items\":[{\"name\":\"a\",\"n\":1},{\"name\":\"b\",\"n\":1500.00}]}");
	ck_assert_str_eq(out, "<div class=\"x\"><h1>Cola</h1><p>shown</p><ul>"
	    "<li data-i=\"0\" title=\"a\"><b>a</b>=<i>1</i></li>"
	    "<li data-i=\"1\" title=\"b\"><b>b</b>=<i>1500.00</i></li></ul>"
	    "<span>2</span>any<img src=\"/static/a.png\" alt=\"\"><br></div>");
	out = render("p.xhtml", "{\"show\":false,\"items\":[]}");
	ck_assert_str_eq(out, "<div class=\"x\"><h1></h1><p>hidden</p><ul></ul>"
	    "<span>0</span><img src=\"/static/a.png\" alt=\"\"><br></div>");
}
END_TEST

START_TEST(layouts_and_includes)
{
	add("layout.xhtml", "<html " T "><head><title t:text=\"title\"/></head>"
	    "<body><nav t:include=\"nav.xhtml\"/><main t:slot=\"content\">default"
	    "</main></body></html>");
	add("nav.xhtml", "<ul " T "><li t:each=\"l links\" t:text=\"l\"/></ul>");
	add("page.xhtml", "<t:block " T " t:layout=\"layout.xhtml\">"
	    "<section t:fill=\"content\"><p t:text=\"body\"/></section></t:block>");
	ck_assert(tmpl_set_check(set, err, sizeof err) == CB_OK);
	const char *out = render("page.xhtml", "{\"title\":\"T\",\"body\":\"B\","
	    "\"links\":[\"x\",\"y\"]}");
	ck_assert_str_eq(out, "<html><head><title>T</title></head><body>"
	    "<ul><li>x</li><li>y</li></ul><main><p>B</p></main></body></html>");
}
END_TEST

START_TEST(escaping)
{
	add("e.xhtml", "<p " T " t:attr=\"title v; href u\"><span t:text=\"v\"/>"
	    "&amp;&lt;static&gt;</p>");
	const char *out = render("e.xhtml", "{\"v\":\"<script>alert('x')</script>"
	    "\\\" onmouseover=\\\"x&\",\"u\":\"javascript:alert(1)\"}");
	ck_assert_str_eq(out, "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script"
	    "&gt;&quot; onmouseover=&quot;x&amp;\" href=\"#\"><span>&lt;script&gt;"
	    "alert('x')&lt;/script&gt;\" onmouseover=\"x&amp;</span>&amp;&lt;static"
	    "&gt;</p>");
	ck_assert(tmpl_url_ok("/api/payments/1/document"));
	ck_assert(tmpl_url_ok("https://example.com/a:b"));
	ck_assert(tmpl_url_ok("?page=2"));
	ck_assert(tmpl_url_ok("a/b:c"));
	ck_assert(!tmpl_url_ok("javascript:alert(1)"));
	ck_assert(!tmpl_url_ok(" JaVa\tScRiPt:alert(1)"));
	ck_assert(!tmpl_url_ok("data:text/html,<script>"));
	ck_assert(!tmpl_url_ok("vbscript:x"));
}
END_TEST

static void
bad(const char *xml, const char *needle)
{
	err[0] = '\0';
	ck_assert(tmpl_set_add(set, "bad.xhtml", xml, strlen(xml), err, sizeof err) !=
	    CB_OK);
	ck_assert_msg(strstr(err, needle) != NULL, "%s lacks %s", err, needle);
	ck_assert_msg(strncmp(err, "bad.xhtml:", 10) == 0, "%s", err);
}

START_TEST(compile_errors_name_file_and_line)
{
	bad("<div>\n<p>\n</div>", "bad.xhtml:3");
	bad("<div " T ">\n<p t:bogus=\"x\"/></div>", "bad.xhtml:2: unknown template"
	    " attribute t:bogus");
	bad("<div " T ">\n\n<p t:each=\"onlyone\"/></div>", ":3: t:each");
	bad("<div " T "><p t:text=\"a b\"/></div>", "t:text needs a path");
	bad("<div " T "><p t:attr=\"href\"/></div>", "t:attr wants");
	bad("<div>\n<a href=\"javascript:alert(1)\">x</a></div>", ":2: href");
	bad("<div><p onclick=\"x()\">x</p></div>", "event handler");
	bad("<!DOCTYPE html [<!ENTITY x \"y\">]><div>&x;</div>", "DOCTYPE");
	bad("<div><br>x</br></div>", "cannot have content");
	bad("<div " T "><t:loop/></div>", "unknown template element");
	add("inc.xhtml", "<div " T "><p t:include=\"missing.xhtml\"/></div>");
	ck_assert(tmpl_set_check(set, err, sizeof err) != CB_OK);
	ck_assert(strstr(err, "missing.xhtml") != NULL);
}
END_TEST

START_TEST(limits)
{
	add("self.xhtml", "<div " T "><p t:include=\"self.xhtml\"/></div>");
	json_object *m = json_object_new_object();
	struct buf b;
	buf_init(&b, 1 << 16);
	ck_assert(tmpl_render(set, "self.xhtml", m, &b, err, sizeof err) ==
	    CB_ETOOBIG);
	buf_free(&b);
	add("big.xhtml", "<div " T "><p t:each=\"x xs\" t:text=\"x\"/></div>");
	json_object *xs = json_object_new_array();
	for (int i = 0; i < 1000; i++)
		json_object_array_add(xs, json_object_new_string("0123456789"));
	json_object_object_add(m, "xs", xs);
	buf_init(&b, 1024);
	ck_assert(tmpl_render(set, "big.xhtml", m, &b, err, sizeof err) ==
	    CB_ETOOBIG);
	buf_free(&b);
	json_object_put(m);
	buf_init(&b, 1024);
	ck_assert(tmpl_render(set, "none.xhtml", NULL, &b, err, sizeof err) ==
	    CB_ENOTFOUND);
	buf_free(&b);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("tmpl");
	TCase *t = tcase_create("tmpl");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, directives);
	tcase_add_test(t, layouts_and_includes);
	tcase_add_test(t, escaping);
	tcase_add_test(t, compile_errors_name_file_and_line);
	tcase_add_test(t, limits);
	suite_add_tcase(s, t);
	return s;
}
