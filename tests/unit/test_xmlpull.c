/*
 * common/xmlpull.c: a repomd.xml and an updateinfo.xml as dnf keeps them
 * (declaration, comment, default namespace, empty elements, entities,
 * CDATA); each refusal with its line (a DTD and its entities, nesting
 * past the cap, mismatched and missing end tags, text outside the root,
 * bad attributes and entities); every prefix of a document, and bytes
 * flipped in it, read without a fault.
 */
#include <errno.h>

#include "tt.h"
#include "tt_test.h"
#include "xmlpull.h"

static const char repomd[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!-- written by createrepo_c -->\n"
    "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\" "
    "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">\n"
    "  <revision>1733400000</revision>\n"
    "  <data type=\"primary\"><location href=\"repodata/p.xml.gz\"/>"
    "</data>\n"
    "  <data type='updateinfo'>\n"
    "    <checksum type=\"sha256\">abc</checksum>\n"
    "    <location href=\"repodata/u-updateinfo.xml.gz\" />\n"
    "    <timestamp>1733300000</timestamp>\n"
    "    <rpm:x a=\"&lt;&amp;&gt;&quot;&apos;&#65;&#x42;&#xe9;&#x1F600;\"/>\n"
    "    <note><![CDATA[a <b> & c]]> &amp; d</note>\n"
    "  </data>\n"
    "</repomd>\n";

/* Reads doc to its end: the number of tokens, or the error. */
static int
read_all(const char *doc, size_t len, size_t *ntok, char *err, size_t errlen)
{
	struct tt_xml x;
	struct tt_xml_tok t;
	int r;

	*ntok = 0;
	err[0] = '\0';
	tt_xml_init(&x, doc, len);
	while ((r = tt_xml_next(&x, &t, err, errlen)) > 0)
		(*ntok)++;
	return r;
}

static void
repomd_read(void)
{
	struct tt_xml x;
	struct tt_xml_tok t;
	char err[256] = "", buf[256], href[256] = "", ts[64] = "";
	bool in_ui = false, in_ts = false;
	int r, starts = 0, ends = 0;

	tt_xml_init(&x, repomd, strlen(repomd));
	while ((r = tt_xml_next(&x, &t, err, sizeof(err))) > 0) {
		if (t.kind == TT_XML_START) {
			starts++;
			if (tt_xml_is(&t, "data")) {
				CHECK_INT(t.depth, 2);
				CHECK_INT(tt_xml_attr(&t, "type", buf,
					      sizeof(buf)),
				    1);
				in_ui = TT_STREQ(buf, "updateinfo");
			}
			if (in_ui && tt_xml_is(&t, "location"))
				CHECK_INT(tt_xml_attr(&t, "href", href,
					      sizeof(href)),
				    1);
			in_ts = in_ui && tt_xml_is(&t, "timestamp");
			if (tt_xml_is(&t, "x")) {
				CHECK_INT(tt_xml_attr(&t, "a", buf,
					      sizeof(buf)),
				    1);
				CHECK_STR(buf,
				    "<&>\"'AB\xc3\xa9\xf0\x9f\x98\x80");
				CHECK_INT(tt_xml_attr(&t, "nope", buf,
					      sizeof(buf)),
				    0);
				CHECK_STR(buf, "");
				/* Too small a buffer. */
				CHECK_INT(tt_xml_attr(&t, "a", buf, 3),
				    -ENAMETOOLONG);
			}
		} else if (t.kind == TT_XML_END) {
			ends++;
			if (tt_xml_is(&t, "data"))
				in_ui = false;
			in_ts = false;
		} else if (in_ts) {
			CHECK_INT(tt_xml_text(&t, ts, sizeof(ts)), 0);
		} else if (t.cdata) {
			CHECK_INT(tt_xml_text(&t, buf, sizeof(buf)), 0);
			CHECK_STR(buf, "a <b> & c");
		}
	}
	CHECK_INT(r, 0);
	CHECK_STR(err, "");
	CHECK_STR(href, "repodata/u-updateinfo.xml.gz");
	CHECK_STR(ts, "1733300000");
	CHECK_INT(starts, ends);
	CHECK_INT(starts, 10);
}

static void
refusals(void)
{
	static const struct {
		const char *doc, *err;
	} cases[] = {
		{ "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol "
		  "\"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>\n<a>&lol2;</a>",
		    "line 2: a DOCTYPE or declaration, which is not read "
		    "(no entity is expanded)" },
		{ "<a>\n<b>\n</a>", "line 3: an end tag that does not match" },
		{ "<a><b></b>", "line 1: the document ends inside an element" },
		{ "<a/>\n<b/>", "line 2: a second root element" },
		{ "hello <a/>", "line 1: text outside the root element" },
		{ "<a/> bye", "line 1: text outside the root element" },
		{ "", "line 1: no root element" },
		{ "<!-- only a comment -->", "line 1: no root element" },
		{ "<a x=1/>", "line 1: an attribute not quoted" },
		{ "<a x=\"1\"y=\"2\"/>", "line 1: a bad attribute in a tag" },
		{ "<a x=\"<\"/>", "line 1: an attribute value not closed" },
		{ "<a x/>", "line 1: an attribute without '='" },
		{ "<a><!-- x </a>", "line 1: a comment not closed" },
		{ "<a><![CDATA[ x </a>", "line 1: CDATA not closed" },
		{ "<a>< b/></a>", "line 1: '<' not followed by a name" },
		{ "<a></ a>", "line 1: '</' not followed by a name" },
		{ "<a></a x>", "line 1: an end tag not closed" },
		{ "<a", "line 1: a tag not closed" },
	};
	char err[256];
	size_t n;

	for (size_t i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		CHECK_INT(read_all(cases[i].doc, strlen(cases[i].doc), &n, err,
			      sizeof(err)),
		    -EINVAL);
		CHECK_STR(err, cases[i].err);
	}
}

static void
depth_cap(void)
{
	char doc[2048] = "", err[256];
	size_t n;

	for (int i = 0; i < TT_XML_DEPTH; i++)
		strlcat(doc, "<a>", sizeof(doc));
	for (int i = 0; i < TT_XML_DEPTH; i++)
		strlcat(doc, "</a>", sizeof(doc));
	CHECK_INT(read_all(doc, strlen(doc), &n, err, sizeof(err)), 0);
	CHECK_INT(n, 2 * TT_XML_DEPTH);
	doc[0] = '\0';
	for (int i = 0; i <= TT_XML_DEPTH; i++)
		strlcat(doc, "<a>", sizeof(doc));
	CHECK_INT(read_all(doc, strlen(doc), &n, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "line 1: elements nested too deep");
}

static void
entities(void)
{
	static const char *const badv[] = { "&foo;", "&lt", "&#0;", "&#;",
		"&#x;", "&#xD800;", "&#x110000;", "&#12a;", "&#99999999999;",
		"&verylongentityname;" };
	struct tt_xml_tok t = { .kind = TT_XML_TEXT };
	char buf[64];

	for (size_t i = 0; i < TT_ARRAY_SIZE(badv); i++) {
		t.raw = badv[i];
		t.rawlen = strlen(badv[i]);
		CHECK_INT(tt_xml_text(&t, buf, sizeof(buf)), -EINVAL);
	}
	t.raw = "a&amp;b";
	t.rawlen = 7;
	CHECK_INT(tt_xml_text(&t, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "a&b");
	t.cdata = true;
	CHECK_INT(tt_xml_text(&t, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "a&amp;b");
}

/* Every prefix and every one-byte change of the document: an answer,
 * never a fault (ASan watches the reads). */
static void
hostile(void)
{
	size_t len = strlen(repomd), n;
	char err[256], *copy = malloc(len), buf[64];

	for (size_t cut = 0; cut < len; cut++) {
		memcpy(copy, repomd, cut);
		(void)read_all(copy, cut, &n, err, sizeof(err));
	}
	for (size_t i = 0; i < len; i++) {
		static const char flips[] = "<>/&'\"=!?-[]; \0x";

		for (size_t f = 0; f < sizeof(flips); f++) {
			struct tt_xml x;
			struct tt_xml_tok t;

			memcpy(copy, repomd, len);
			copy[i] = flips[f];
			tt_xml_init(&x, copy, len);
			while (tt_xml_next(&x, &t, err, sizeof(err)) > 0) {
				(void)tt_xml_attr(&t, "a", buf, sizeof(buf));
				(void)tt_xml_attr(&t, "href", buf, sizeof(buf));
				(void)tt_xml_text(&t, buf, sizeof(buf));
			}
		}
	}
	free(copy);
}

int
main(void)
{
	RUN(repomd_read);
	RUN(refusals);
	RUN(depth_cap);
	RUN(entities);
	RUN(hostile);
	TEST_EXIT();
}
