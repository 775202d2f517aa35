#include <sys/stat.h>

#include "lockout.h"
#include "tt_test.h"

static void
test_guard(void)
{
	char *d = tt_test_tmpdir(), why[512];
	struct tt_root root;

	CHECK_INT(tt_root_init(&root, d), 0);
	tt_test_put(d, "/etc/passwd",
	    "root:x:0:0::/root:/bin/bash\n"
	    "svc:x:998:998::/home/svc:/usr/sbin/nologin\n"
	    "alice:x:1000:1000::/home/alice:/bin/bash\n");
	/* Nobody has a key, no agent. */
	CHECK(!tt_lockout_safe(&root, TT_LOCKOUT_NO_PASSWORD_AUTH, true, why,
	    sizeof(why)));
	CHECK(strstr(why, "lock everybody out") != NULL);
	/* A key for a nologin account does not count; a comment neither. */
	tt_test_put(d, "/home/svc/.ssh/authorized_keys",
	    "ssh-ed25519 AAAA svc\n");
	tt_test_put(d, "/home/alice/.ssh/authorized_keys", "# none yet\n");
	CHECK(!tt_lockout_safe(&root, TT_LOCKOUT_NO_PASSWORD_AUTH, true, why,
	    sizeof(why)));
	/* root's key keeps password auth safe but not root login. */
	tt_test_put(d, "/root/.ssh/authorized_keys", "ssh-ed25519 AAAA root\n");
	CHECK(tt_lockout_safe(&root, TT_LOCKOUT_NO_PASSWORD_AUTH, true, why,
	    sizeof(why)));
	CHECK(strstr(why, "root") != NULL);
	CHECK(!tt_lockout_safe(&root, TT_LOCKOUT_NO_ROOT_LOGIN, true, why,
	    sizeof(why)));
	tt_test_put(d, "/home/alice/.ssh/authorized_keys",
	    "ssh-ed25519 AAAA alice\n");
	CHECK(tt_lockout_safe(&root, TT_LOCKOUT_NO_ROOT_LOGIN, true, why,
	    sizeof(why)));
	CHECK(strstr(why, "alice") != NULL);
	/* Password login of a non-root account keeps root login safe to
	 * disable while password authentication stays on. */
	tt_test_put(d, "/home/alice/.ssh/authorized_keys", "");
	tt_test_put(d, "/etc/shadow",
	    "root:*:1::::::\nalice:$y$j9T$x:1::::::\n");
	CHECK(tt_lockout_safe(&root, TT_LOCKOUT_NO_ROOT_LOGIN, true, why,
	    sizeof(why)));
	CHECK(strstr(why, "password") != NULL);
	CHECK(!tt_lockout_safe(&root, TT_LOCKOUT_NO_ROOT_LOGIN, false, why,
	    sizeof(why)));
	/* Root's key does not help once root login is off. */
	CHECK(!tt_lockout_safe(&root, TT_LOCKOUT_NO_PASSWORD_AUTH, false, why,
	    sizeof(why)));
	/* An agent makes both safe even without keys. */
	tt_test_put(d, "/home/alice/.ssh/authorized_keys", "");
	tt_test_put(d, "/root/.ssh/authorized_keys", "");
	tt_test_put(d, "/usr/sbin/waagent", "#!/usr/bin/python3\n");
	CHECK(tt_lockout_safe(&root, TT_LOCKOUT_NO_ROOT_LOGIN, true, why,
	    sizeof(why)));
	CHECK(strstr(why, "waagent") != NULL);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

/* issue 14: judged on the planned state: a planned PAM edit that drops
 * pam_unix ends password ways in; a planned drop-in is read. */
static void
test_planned(void)
{
	char *d = tt_test_tmpdir(), why[512];
	struct tt_root root;
	struct tt_plan plan;
	const char *broken = "auth requisite pam_deny.so\n";

	CHECK_INT(tt_root_init(&root, d), 0);
	tt_test_put(d, "/etc/passwd",
	    "root:x:0:0::/root:/bin/bash\n"
	    "alice:x:1000:1000::/home/alice:/bin/bash\n");
	tt_test_put(d, "/etc/shadow",
	    "root:*:1::::::\nalice:$y$j9T$x:1::::::\n");
	tt_test_put(d, "/etc/ssh/sshd_config",
	    "Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n");
	tt_test_put(d, "/etc/pam.d/sshd", "@include common-auth\n");
	tt_test_put(d, "/etc/pam.d/common-auth",
	    "auth [success=1 default=ignore] pam_unix.so\n"
	    "auth requisite pam_deny.so\n");
	tt_plan_init(&plan, &root);
	CHECK(tt_lockout_safe_plan(&plan, TT_LOCKOUT_NO_ROOT_LOGIN, true, why,
	    sizeof(why)));
	CHECK_INT(tt_plan_write(&plan, "r", "/etc/pam.d/common-auth", broken,
		      strlen(broken), 0644),
	    0);
	CHECK(!tt_lockout_safe_plan(&plan, TT_LOCKOUT_NO_ROOT_LOGIN, true, why,
	    sizeof(why)));
	tt_plan_free(&plan);
	/* A planned drop-in turning password authentication off. */
	tt_plan_init(&plan, &root);
	CHECK_INT(tt_plan_write(&plan, "r", "/etc/ssh/sshd_config.d/00-t.conf",
		      "PasswordAuthentication no\n", 26, 0600),
	    0);
	CHECK(!tt_lockout_safe_plan(&plan, TT_LOCKOUT_NO_ROOT_LOGIN, true, why,
	    sizeof(why)));
	tt_plan_free(&plan);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	RUN(test_guard);
	RUN(test_planned);
	TEST_EXIT();
}
