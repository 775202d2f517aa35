/*
 * Remediation edits: tt_kv_set over an arbitrary configuration text in
 * each style.  Properties: setting a key twice gives the text the first
 * set gave (harden is idempotent), and the output is bounded.
 */
#include <string.h>

#include "fuzz.h"
#include "kvedit.h"
#include "tt.h"

static const struct tt_kvedit_style styles[] = {
	{ .sep = " ", .nocase = true, .stop_at = "Match" },
	{ .sep = " = " },
	{ .sep = "=", .section = "[Journal]" },
	{ .sep = "=", .quote = true },
	{ .sep = "\t" },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tt_kvedit_style *st;
	struct tt_buf once, twice;

	if (size < 1)
		return 0;
	st = &styles[data[0] % TT_ARRAY_SIZE(styles)];
	tt_buf_init(&once, 1 << 20);
	tt_buf_init(&twice, 1 << 20);
	if (tt_kv_set((const char *)data + 1, size - 1, "PermitRootLogin",
	    "no", st, &once) == 0 &&
	    tt_kv_set(once.data, once.len, "PermitRootLogin", "no", st,
	    &twice) == 0) {
		FUZZ_ASSERT(once.len == twice.len &&
		    memcmp(once.data, twice.data, once.len) == 0);
	}
	tt_buf_free(&once);
	tt_buf_free(&twice);
	return 0;
}
