/*
 * Tailoring files (hardening/tailoring.c): tt_tailoring_parse over
 * arbitrary bytes, then, for a file that parses, tt_tailoring_apply to a
 * small built-in pack (its rules carry every kind of parameter: a number
 * with two bounds, a list, a text, and the log host of log_forward).
 * Properties: an error names the file and leaves no tailoring; a parsed
 * tailoring has an id, a profile and a sha256 digest; apply either fails
 * with the file named or yields a profile of the pack's rules only, each
 * once; freeing is clean (ASan, leaks).
 */
#include <string.h>

#include "fuzz.h"
#include "rules.h"
#include "tailoring.h"
#include "tt.h"

static const char pack_text[] =
    "{\"schema\": 1, \"pack\": \"fz\", \"benchmark\": \"fuzz\","
    " \"applies\": {\"id\": [\"debian\"]},"
    " \"profiles\": [{\"id\": \"p\", \"title\": \"P\","
    "   \"rules\": [\"num\", \"list\", \"text\", \"loghost\"]}],"
    " \"rules\": ["
    "  {\"id\": \"num\", \"title\": \"t\", \"description\": \"d\","
    "   \"rationale\": \"r\", \"severity\": \"low\","
    "   \"references\": {\"cis\": \"1.1\"}, \"scope\": [\"image\"],"
    "   \"check\": {\"probe\": \"sshd_config\", \"params\": {\"key\":"
    "     \"MaxAuthTries\"}, \"expect\": [{\"field\": \"value\", \"op\":"
    "     \"ge\", \"value\": \"1\"}, {\"field\": \"value\", \"op\": \"le\","
    "     \"value\": \"4\"}]},"
    "   \"fix\": {\"action\": \"sshd_set\", \"params\": {\"key\":"
    "     \"MaxAuthTries\", \"value\": \"4\"}}},"
    "  {\"id\": \"list\", \"title\": \"t\", \"description\": \"d\","
    "   \"rationale\": \"r\", \"severity\": \"low\","
    "   \"references\": {\"cis\": \"1.2\"}, \"scope\": [\"image\"],"
    "   \"check\": {\"probe\": \"sshd_config\", \"params\": {\"key\":"
    "     \"Ciphers\"}, \"expect\": [{\"field\": \"value\", \"op\":"
    "     \"match\", \"value\": \"^(aes256-ctr|aes128-ctr)(,(aes256-ctr|"
    "aes128-ctr))*$\"}]},"
    "   \"fix\": {\"action\": \"sshd_set\", \"params\": {\"key\":"
    "     \"Ciphers\", \"value\": \"aes256-ctr,aes128-ctr\"}}},"
    "  {\"id\": \"text\", \"title\": \"t\", \"description\": \"d\","
    "   \"rationale\": \"r\", \"severity\": \"low\","
    "   \"references\": {\"cis\": \"1.3\"}, \"scope\": [\"image\"],"
    "   \"check\": {\"probe\": \"sshd_config\", \"params\": {\"key\":"
    "     \"LogLevel\"}, \"expect\": [{\"field\": \"value\", \"op\":"
    "     \"eq\", \"value\": \"INFO\"}]},"
    "   \"fix\": {\"action\": \"sshd_set\", \"params\": {\"key\":"
    "     \"LogLevel\", \"value\": \"INFO\"}}},"
    "  {\"id\": \"loghost\", \"title\": \"t\", \"description\": \"d\","
    "   \"rationale\": \"r\", \"severity\": \"low\","
    "   \"references\": {\"cis\": \"1.4\"}, \"scope\": [\"image\"],"
    "   \"check\": {\"probe\": \"log_forward\", \"params\": {\"loghost\":"
    "     \"\"}, \"expect\": [{\"field\": \"missing\", \"op\": \"eq\","
    "     \"value\": \"\"}]},"
    "   \"fix\": {\"manual\": \"forward\"}},"
    "  {\"id\": \"extra\", \"title\": \"t\", \"description\": \"d\","
    "   \"rationale\": \"r\", \"severity\": \"low\","
    "   \"references\": {\"cis\": \"1.5\"}, \"scope\": [\"image\"],"
    "   \"check\": {\"probe\": \"sshd_config\", \"params\": {\"key\":"
    "     \"X11Forwarding\"}, \"expect\": [{\"field\": \"value\", \"op\":"
    "     \"eq\", \"value\": \"no\"}]},"
    "   \"fix\": {\"action\": \"sshd_set\", \"params\": {\"key\":"
    "     \"X11Forwarding\", \"value\": \"no\"}}}"
    " ]}";

static void
try_apply(struct tt_tailoring *t)
{
	struct tt_pack *pack = NULL;
	const struct tt_profile *base;
	char err[1024] = "";
	int r;

	/* A fresh pack each time: apply rewrites the rules it tailors. */
	r = tt_pack_parse("fz.json", pack_text, sizeof(pack_text) - 1, &pack,
	    err, sizeof(err));
	FUZZ_ASSERT(r == 0);
	base = &pack->profiles[0];
	err[0] = '\0';
	r = tt_tailoring_apply(t, pack, base, err, sizeof(err));
	FUZZ_ASSERT(FUZZ_TERMINATED(err));
	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL || r == -ENOMEM);
		FUZZ_ASSERT(r == -ENOMEM || strncmp(err, "fuzz.json", 9) == 0);
	} else {
		for (size_t i = 0; i < t->profile_out.nrules; i++) {
			FUZZ_ASSERT(t->profile_out.rules[i] < pack->nrules);
			for (size_t j = 0; j < i; j++)
				FUZZ_ASSERT(t->profile_out.rules[j] !=
				    t->profile_out.rules[i]);
		}
	}
	tt_pack_free(pack);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_tailoring *t = NULL;
	char err[1024] = "";
	int r;

	r = tt_tailoring_parse("fuzz.json", (const char *)data, size, &t, err,
	    sizeof(err));
	FUZZ_ASSERT(FUZZ_TERMINATED(err));
	if (r < 0) {
		FUZZ_ASSERT(t == NULL);
		FUZZ_ASSERT(r == -ENOMEM || strncmp(err, "fuzz.json", 9) == 0);
		return 0;
	}
	FUZZ_ASSERT(t != NULL && t->id != NULL && t->profile != NULL);
	FUZZ_ASSERT(
	    strncmp(t->digest, "sha256:", 7) == 0 && strlen(t->digest) == 71);
	/* The pack's profile is "p": a tailoring of another one is refused
	 * before apply, as tt_tailored_load does. */
	if (strcmp(t->profile, "p") == 0)
		try_apply(t);
	tt_tailoring_free(t);
	return 0;
}
