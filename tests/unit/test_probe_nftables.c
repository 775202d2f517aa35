/* The nftables probe: /etc/nftables.conf parsed as nft reads it. */
#include "probe_fixture.h"

static int
nft(struct tt_items *it, char *err, size_t errlen)
{
	int r = fx_run("nftables", it, err, errlen, NULL);

	if (r < 0)
		fprintf(stderr, "# nftables: %s\n", err);
	return r;
}

/* The layout `nft list ruleset` writes, which CIS tells to save. */
static void
listed_ruleset(void)
{
	struct tt_items it;
	char err[512];

	fx_begin(false);
	fx_put("/etc/nftables.conf",
	    "#!/usr/sbin/nft -f\n"
	    "flush ruleset\n"
	    "table inet filter {\n"
	    "\tset allowed { type ipv4_addr; elements = { 10.0.0.1, "
	    "10.0.0.2 } }\n"
	    "\tchain input {\n"
	    "\t\ttype filter hook input priority filter; policy drop;\n"
	    "\t\tiif \"lo\" accept # loopback\n"
	    "\t\tip saddr 127.0.0.0/8 counter drop\n"
	    "\t\ttcp dport { 22,\n 443 } accept\n"
	    "\t}\n"
	    "\tchain forward { type filter hook forward priority 0; "
	    "policy drop; }\n"
	    "\tchain output {\n\t\ttype filter hook output priority filter\n"
	    "\t\tpolicy accept\n\t}\n"
	    "\tchain mine {\n\t\tct state established accept\n\t}\n"
	    "}\n");
	CHECK_INT(nft(&it, err, sizeof(err)), 0);
	CHECK_INT(it.n, 4);
	CHECK_STR(fx_get(&it, 0, "family"), "inet");
	CHECK_STR(fx_get(&it, 0, "table"), "filter");
	CHECK_STR(fx_get(&it, 0, "chain"), "input");
	CHECK_STR(fx_get(&it, 0, "line"), "5");
	CHECK_STR(fx_get(&it, 0, "path"), "/etc/nftables.conf");
	CHECK_STR(fx_get(&it, 0, "type"), "filter");
	CHECK_STR(fx_get(&it, 0, "hook"), "input");
	CHECK_STR(fx_get(&it, 0, "priority"), "filter");
	CHECK_STR(fx_get(&it, 0, "policy"), "drop");
	CHECK_STR(fx_get(&it, 0, "rules"),
	    "iif lo accept; ip saddr 127.0.0.0/8 counter drop; "
	    "tcp dport { 22,\n 443 } accept");
	CHECK_STR(fx_get(&it, 1, "hook"), "forward");
	CHECK_STR(fx_get(&it, 1, "priority"), "0");
	CHECK_STR(fx_get(&it, 1, "policy"), "drop");
	CHECK_STR(fx_get(&it, 1, "rules"), "");
	CHECK_STR(fx_get(&it, 2, "hook"), "output");
	CHECK_STR(fx_get(&it, 2, "policy"), "accept");
	/* a regular chain: no hook, no policy */
	CHECK_STR(fx_get(&it, 3, "chain"), "mine");
	CHECK_STR(fx_get(&it, 3, "hook"), "");
	CHECK_STR(fx_get(&it, 3, "policy"), "");
	tt_items_free(&it);
	fx_end();
}

/* Includes (relative names under /etc, globs), blocks of one chain
 * merged, a base chain without a policy statement accepts, a table
 * without a family is ip. */
static void
includes_and_merges(void)
{
	struct tt_items it;
	char err[512];

	fx_begin(false);
	fx_put("/etc/nftables.conf",
	    "include \"nftables.d/*.nft\"\n"
	    "table filter {\n chain input {\n  type filter hook input "
	    "priority 0\n }\n}\n");
	fx_put("/etc/nftables.d/10-a.nft",
	    "table inet f {\n chain in {\n  type filter hook input "
	    "priority 0; policy drop\n  iifname lo accept\n }\n}\n");
	fx_put("/etc/nftables.d/20-b.nft",
	    "table inet f {\n chain in {\n  ip6 saddr ::1 drop\n }\n}\n");
	CHECK_INT(nft(&it, err, sizeof(err)), 0);
	CHECK_INT(it.n, 2);
	CHECK_STR(fx_get(&it, 0, "family"), "inet");
	CHECK_STR(fx_get(&it, 0, "path"), "/etc/nftables.d/10-a.nft");
	CHECK_STR(fx_get(&it, 0, "policy"), "drop");
	CHECK_STR(fx_get(&it, 0, "rules"),
	    "iifname lo accept; ip6 saddr ::1 drop");
	CHECK_STR(fx_get(&it, 1, "family"), "ip");
	CHECK_STR(fx_get(&it, 1, "table"), "filter");
	CHECK_STR(fx_get(&it, 1, "policy"), "accept");
	tt_items_free(&it);
	fx_end();
}

/* No file: no chains (a fact, not an error); an include loop, an
 * unterminated string and an include escaping the root are refused or
 * stay inside it. */
static void
missing_and_hostile(void)
{
	struct tt_items it;
	char err[512];

	fx_begin(false);
	CHECK_INT(nft(&it, err, sizeof(err)), 0);
	CHECK_INT(it.n, 0);
	tt_items_free(&it);
	fx_put("/etc/nftables.conf", "include \"/etc/nftables.conf\"\n");
	CHECK_INT(fx_run("nftables", &it, err, sizeof(err), NULL), -ELOOP);
	CHECK(strstr(err, "nftables.conf") != NULL);
	tt_items_free(&it);
	fx_put("/etc/nftables.conf", "table inet f {\n chain \"in\n}\n");
	CHECK_INT(fx_run("nftables", &it, err, sizeof(err), NULL), -EINVAL);
	CHECK(strstr(err, "/etc/nftables.conf:2: unterminated string") != NULL);
	tt_items_free(&it);
	/* ../../ resolves inside the root: the host's files are not read */
	fx_put("/etc/nftables.conf",
	    "include \"../../../../etc/passwd\"\n"
	    "table inet f { chain c { } }\n");
	CHECK_INT(nft(&it, err, sizeof(err)), 0);
	CHECK_INT(it.n, 1);
	tt_items_free(&it);
	/* unbalanced braces and stray words do not crash or loop */
	fx_put("/etc/nftables.conf", "}}} table { chain { { { ;;; \\\n");
	CHECK(fx_run("nftables", &it, err, sizeof(err), NULL) <= 0);
	tt_items_free(&it);
	fx_end();
}

int
main(void)
{
	RUN(listed_ruleset);
	RUN(includes_and_merges);
	RUN(missing_and_hostile);
	TEST_EXIT();
}
