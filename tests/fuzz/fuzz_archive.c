/*
 * The archive reader (scrub_archive.h) over arbitrary bytes: whatever
 * libarchive makes of them (gzip, xz, bzip2, zstd, tar, zip, ar, cpio,
 * nested), under small limits so a bomb is stopped quickly.  Properties:
 * every path reported starts with the file's own and, past it, holds no
 * control byte (member names are escaped); a finding's preview is at
 * most 4 bytes and its fingerprint 64 hex digits; the scan returns 0;
 * the members and bytes stay within the limits (libFuzzer's memory limit
 * says the rest).
 */
#include <string.h>

#include "fuzz.h"
#include "scrub/scrub_archive.h"
#include "tt.h"

#define NAME "/fuzz.bin"

static struct tt_scrub_catalog cat;
static struct tt_scanner scanner;
static bool ready;

static void
check_path(const char *path)
{
	FUZZ_ASSERT(strncmp(path, NAME, strlen(NAME)) == 0);
	FUZZ_ASSERT(strlen(path) < 4096);
	for (const char *p = path; *p; p++)
		FUZZ_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7f);
}

static void
on_secret(void *arg, const char *path, const struct tt_scan_finding *f)
{
	size_t *n = arg;

	check_path(path);
	FUZZ_ASSERT(f->detector < cat.ndetectors);
	FUZZ_ASSERT(f->line >= 1);
	FUZZ_ASSERT(strlen(f->preview) <= TT_SCAN_PREVIEW);
	FUZZ_ASSERT(strlen(f->fingerprint) == 64 &&
	    strspn(f->fingerprint, "0123456789abcdef") == 64);
	(*n)++;
}

static void
on_member(void *arg, const char *path)
{
	check_path(path);
}

static void
on_skipped(void *arg, const char *path, const char *reason)
{
	check_path(path);
	FUZZ_ASSERT(reason != NULL && reason[0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_archive_limits lim;
	size_t n = 0;
	struct tt_archive_cb cb = { on_secret, on_member, on_skipped, &n };
	char err[256];

	if (!ready) {
		if (tt_scrub_load_builtin(&cat, err, sizeof(err)) < 0 ||
		    tt_scanner_init(&scanner, &cat) < 0)
			abort();
		ready = true;
	}
	tt_archive_limits_default(&lim, (uint64_t)4 << 20);
	lim.max_members = 1000;
	lim.ratio_floor = (uint64_t)1 << 20;
	FUZZ_ASSERT(tt_scan_archive_mem(&scanner, data, size, NAME, &lim, &cb,
			err, sizeof(err)) == 0);
	return 0;
}
