/* The nologin_accounts probe: passwd joined with shadow for the accounts
 * whose shell is no login shell. */
#include "probe_fixture.h"

static void
joined(void)
{
	struct tt_items it;
	char err[512] = "";

	fx_begin(false);
	fx_put("/etc/shells", "/bin/sh\n/bin/bash\n/usr/sbin/nologin\n");
	fx_put("/etc/passwd",
	    "root:x:0:0:root:/root:/usr/sbin/nologin\n"
	    "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
	    "svc:x:998:998::/srv:/bin/false\n"
	    "odd:x:997:997::/srv:/bin/zsh\n"
	    "ghost:x:996:996::/srv:/usr/sbin/nologin\n"
	    "broken line\n"
	    "alice:x:1000:1000::/home/alice:/bin/bash\n");
	fx_put("/etc/shadow",
	    "root:$6$x$y:19000::::::\n"
	    "daemon:*:19000::::::\n"
	    "svc:$6$a$b:19000::::::\n"
	    "odd::19000::::::\n"
	    "alice:$6$c$d:19000::::::\n");
	CHECK_INT(fx_run("nologin_accounts", &it, err, sizeof(err), NULL), 0);
	/* root is left out; nologin counts as no login shell although
	 * /etc/shells lists it; a shell not in /etc/shells is none either */
	CHECK_INT(it.n, 4);
	CHECK_STR(fx_get(&it, 0, "user"), "daemon");
	CHECK_STR(fx_get(&it, 0, "password"), "locked");
	CHECK_STR(fx_get(&it, 0, "line"), "2");
	CHECK_STR(fx_get(&it, 1, "user"), "svc");
	CHECK_STR(fx_get(&it, 1, "shell"), "/bin/false");
	CHECK_STR(fx_get(&it, 1, "password"), "hash");
	CHECK_STR(fx_get(&it, 2, "user"), "odd");
	CHECK_STR(fx_get(&it, 2, "password"), "empty");
	CHECK_STR(fx_get(&it, 3, "user"), "ghost");
	CHECK_STR(fx_get(&it, 3, "uid"), "996");
	CHECK_STR(fx_get(&it, 3, "password"), "none");
	tt_items_free(&it);
	/* root too when asked */
	CHECK_INT(fx_run("nologin_accounts", &it, err, sizeof(err), "root",
		      "true", NULL),
	    0);
	CHECK_INT(it.n, 5);
	CHECK_STR(fx_get(&it, 0, "user"), "root");
	CHECK_STR(fx_get(&it, 0, "password"), "hash");
	tt_items_free(&it);
	fx_end();

	/* no passwd: nothing to judge, not an error */
	fx_begin(false);
	CHECK_INT(fx_run("nologin_accounts", &it, err, sizeof(err), NULL), 0);
	CHECK_INT(it.n, 0);
	tt_items_free(&it);
	fx_end();
}

int
main(void)
{
	RUN(joined);
	TEST_EXIT();
}
