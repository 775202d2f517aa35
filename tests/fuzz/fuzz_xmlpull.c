/*
 * tt_xml_next (dnf's repomd.xml and updateinfo.xml in an image) over
 * arbitrary bytes, with every attribute and text decoded.  Properties:
 * an error says "line N: "; START and END tokens pair up, nested at most
 * TT_XML_DEPTH; names are non-empty; decoded strings stay terminated.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "tt.h"
#include "xmlpull.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_xml x;
	struct tt_xml_tok t;
	char err[256] = "", buf[128];
	size_t open = 0;
	int r;

	tt_xml_init(&x, (const char *)data, size);
	while ((r = tt_xml_next(&x, &t, err, sizeof(err))) > 0) {
		switch (t.kind) {
		case TT_XML_START:
			FUZZ_ASSERT(t.namelen > 0);
			FUZZ_ASSERT(t.depth == ++open);
			FUZZ_ASSERT(open <= TT_XML_DEPTH);
			r = tt_xml_attr(&t, "type", buf, sizeof(buf));
			FUZZ_ASSERT(r == 0 || r == 1 || r == -EINVAL ||
			    r == -ENAMETOOLONG);
			FUZZ_ASSERT(FUZZ_TERMINATED(buf));
			break;
		case TT_XML_END:
			FUZZ_ASSERT(t.namelen > 0 && t.depth == open);
			open--;
			break;
		case TT_XML_TEXT:
			r = tt_xml_text(&t, buf, sizeof(buf));
			FUZZ_ASSERT(
			    r == 0 || r == -EINVAL || r == -ENAMETOOLONG);
			FUZZ_ASSERT(FUZZ_TERMINATED(buf));
			break;
		}
	}
	if (r < 0)
		FUZZ_ASSERT(r == -EINVAL && strncmp(err, "line ", 5) == 0);
	else
		FUZZ_ASSERT(open == 0);
	return 0;
}
