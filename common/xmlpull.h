/*
 * A bounded pull reader of XML held in memory, for the machine-written
 * metadata in an image (dnf's repomd.xml and updateinfo.xml): elements,
 * attributes, text and CDATA; comments and processing instructions
 * skipped.  No DTD is read: a <!DOCTYPE> is refused, so there is no
 * entity to expand and nothing fetched; only the five predefined
 * entities and character references are decoded.  Nesting is capped
 * (TT_XML_DEPTH); end tags must match; one root element.
 *
 * Written here rather than linking libxml2: the two files need a few
 * element and attribute names, libxml2 (with ICU on Debian) would put
 * megabytes in every command's memory, and refusing DTDs outright is a
 * smaller surface than configuring them off.
 */
#ifndef TT_XMLPULL_H
#define TT_XMLPULL_H

#include <stdbool.h>
#include <stddef.h>

#define TT_XML_DEPTH 32

enum tt_xml_kind {
	TT_XML_START, /* <name attrs> or <name attrs/> (then an END) */
	TT_XML_END, /* </name> */
	TT_XML_TEXT, /* character data or CDATA, between tags */
};

struct tt_xml_tok {
	enum tt_xml_kind kind;
	const char *name; /* START, END: the element's name (not NUL-ended) */
	size_t namelen;
	const char *raw; /* START: its attributes; TEXT: the text; raw */
	size_t rawlen;
	bool cdata; /* TEXT from <![CDATA[...]]>: no entities in it */
	size_t depth; /* START, END: 1 for the root element */
};

struct tt_xml {
	const char *start, *p, *end;
	size_t depth;
	struct {
		const char *name;
		size_t len;
	} stack[TT_XML_DEPTH];
	bool root_seen, empty_pending;
	struct tt_xml_tok pending; /* the END after <name/> */
};

void tt_xml_init(struct tt_xml *x, const char *data, size_t len);

/*
 * The next token: 1, 0 at the end of the document, or -EINVAL with err
 * saying "line N: what" (bad syntax, a DTD, too deep, mismatched or
 * missing end tags, text outside the root).
 */
int
tt_xml_next(struct tt_xml *x, struct tt_xml_tok *t, char *err, size_t errlen);

/* The line (from 1) the reader is at, for callers' messages. */
size_t tt_xml_line(const struct tt_xml *x);

/* True when a START or END token's name, without a namespace prefix,
 * is name. */
bool tt_xml_is(const struct tt_xml_tok *t, const char *name);

/*
 * The attribute name of a START token, decoded into buf: 1 when present,
 * 0 when absent (buf ""), -EINVAL for an entity that is not one of the
 * five nor a character reference, -ENAMETOOLONG when it does not fit.
 */
int tt_xml_attr(const struct tt_xml_tok *t, const char *name, char *buf,
    size_t buflen);

/* A TEXT token decoded into buf; errors as tt_xml_attr. */
int tt_xml_text(const struct tt_xml_tok *t, char *buf, size_t buflen);

#endif
