#include "kvedit.h"
#include "tt_test.h"

static const struct tt_kvedit_style sshd = { .sep = " ", .nocase = true,
	.stop_at = "Match" };
static const struct tt_kvedit_style ini = { .sep = "=", .section = "[Journal]" };
static const struct tt_kvedit_style eq = { .sep = " = " };
static const struct tt_kvedit_style shell = { .sep = "=", .quote = true };

struct kv_case {
	const char *name;
	const struct tt_kvedit_style *style;
	const char *in, *key, *value, *want;
};

static const struct kv_case cases[] = {
	{ "rewrite in place", &sshd, "# x\nPermitRootLogin yes\nPort 22\n",
	    "PermitRootLogin", "no", "# x\nPermitRootLogin no\nPort 22\n" },
	{ "case-insensitive key, duplicates commented", &sshd,
	    "permitrootlogin yes\nPermitRootLogin without-password\n",
	    "PermitRootLogin", "no",
	    "PermitRootLogin no\n# tattoo: PermitRootLogin without-password\n" },
	{ "added before Match", &sshd,
	    "Port 22\nMatch User bob\n  PermitRootLogin yes\n",
	    "PermitRootLogin", "no",
	    "Port 22\nPermitRootLogin no\nMatch User bob\n  PermitRootLogin yes\n" },
	{ "appended", &sshd, "Port 22", "X11Forwarding", "no",
	    "Port 22\nX11Forwarding no\n" },
	{ "commented default not touched", &sshd, "#MaxAuthTries 6\n",
	    "MaxAuthTries", "4", "#MaxAuthTries 6\nMaxAuthTries 4\n" },
	{ "already set: unchanged", &sshd, "MaxAuthTries 4\n", "MaxAuthTries",
	    "4", "MaxAuthTries 4\n" },
	{ "ini key inside section", &ini,
	    "[Journal]\n#Storage=auto\nCompress=no\n[Other]\nCompress=no\n",
	    "Compress", "yes",
	    "[Journal]\n#Storage=auto\nCompress=yes\n[Other]\nCompress=no\n" },
	{ "ini key added at section end", &ini,
	    "[Journal]\nStorage=auto\n[Other]\nX=1\n", "Compress", "yes",
	    "[Journal]\nStorage=auto\nCompress=yes\n[Other]\nX=1\n" },
	{ "ini section created", &ini, "# only comments\n", "Storage",
	    "persistent", "# only comments\n\n[Journal]\nStorage=persistent\n" },
	{ "ini empty file", &ini, "", "Storage", "persistent",
	    "[Journal]\nStorage=persistent\n" },
	{ "equals style", &eq, "minlen = 8\n", "minlen", "14",
	    "minlen = 14\n" },
	{ "equals without spaces parsed", &eq, "minlen=8\n", "minlen", "14",
	    "minlen = 14\n" },
	{ "shell quoted", &shell, "GRUB_TIMEOUT=5\n", "GRUB_TIMEOUT", "0",
	    "GRUB_TIMEOUT=\"0\"\n" },
	{ "key prefix is another key", &eq, "minlength = 1\n", "minlen", "14",
	    "minlength = 1\nminlen = 14\n" },
};

static void
test_set(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct kv_case *c = &cases[i];
		struct tt_buf out, again;

		tt_buf_init(&out, 4096);
		CHECK_INT(tt_kv_set(c->in, strlen(c->in), c->key, c->value,
		    c->style, &out), 0);
		if (strcmp(out.data, c->want) != 0)
			fprintf(stderr, "# case %s\n", c->name);
		CHECK_STR(out.data, c->want);
		/* Idempotent: a second set changes nothing. */
		tt_buf_init(&again, 4096);
		CHECK_INT(tt_kv_set(out.data, out.len, c->key, c->value,
		    c->style, &again), 0);
		CHECK_STR(again.data, out.data);
		tt_buf_free(&out);
		tt_buf_free(&again);
	}
}

static void
test_unset(void)
{
	struct tt_buf out;

	tt_buf_init(&out, 4096);
	CHECK_INT(tt_kv_unset("a 1\nb 2\nMatch x\n a 3\n", 20, "a", &sshd,
	    &out), 0);
	CHECK_STR(out.data, "# tattoo: a 1\nb 2\nMatch x\n# tattoo:  a 3\n");
	tt_buf_free(&out);
}

int
main(void)
{
	RUN(test_set);
	RUN(test_unset);
	TEST_EXIT();
}
