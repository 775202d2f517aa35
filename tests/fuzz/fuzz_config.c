/*
 * agent.conf: tt_config_parse over arbitrary bytes (NUL bytes, overlong
 * lines, quotes, duplicate and unknown keys, numbers out of range).
 * Properties: every string field stays NUL-terminated, an error always
 * says where, and a success leaves numbers inside their documented range.
 * The same bytes as an image's agent.conf (tt_config_parse_image): never
 * an error without a note saying where, a profile only of id characters.
 */
#include <errno.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"
#include "tt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tt_config cfg;
	char err[512] = "";
	int r;

	char profile[128], note[1024];

	r = tt_config_parse_image("img.conf", (const char *)data, size,
	    profile, sizeof(profile), note, sizeof(note));
	FUZZ_ASSERT(FUZZ_TERMINATED(profile) && FUZZ_TERMINATED(note));
	FUZZ_ASSERT(r == 0 || (r == -EINVAL && profile[0] == '\0' &&
	    strncmp(note, "img.conf:", 9) == 0));
	for (const char *p = profile; *p != '\0'; p++)
		FUZZ_ASSERT(*p > ' ' && *p < 0x7f && *p != '/');
	tt_config_defaults(&cfg);
	r = tt_config_parse(&cfg, "fuzz.conf", (const char *)data, size, err,
	    sizeof(err));
	FUZZ_ASSERT(FUZZ_TERMINATED(err));
	if (r < 0) {
		FUZZ_ASSERT(strncmp(err, "fuzz.conf:", 10) == 0);
		return 0;
	}
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.imds_url));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.arm_url));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.tag_prefix));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.collector_url));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.collector_format));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.identity));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.collector_token_file));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.ca_file));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.client_cert));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.client_key));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.spool_dir));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.state_dir));
	FUZZ_ASSERT(FUZZ_TERMINATED(cfg.profile));
	FUZZ_ASSERT(cfg.spool_max_bytes >= 4096);
	FUZZ_ASSERT(cfg.max_tattoo_age_days >= 1 &&
	    cfg.max_tattoo_age_days <= 36500);
	FUZZ_ASSERT(cfg.retry_scale_ms >= 0 && cfg.retry_scale_ms <= 60000);
	return 0;
}
