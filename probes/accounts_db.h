/*
 * /etc/passwd, /etc/shadow and /etc/group of the image: the one parser of
 * them.  Parsed once per audit and shared by the accounts, account_*,
 * home_dirs, file and walk probes (tt_acct_load); read outside an audit by
 * hardening's image ids, lockout check and account actions (tt_acct_read,
 * tt_acct_parse).  A line with the wrong number of fields is kept, marked
 * malformed, so that rules can see it instead of it vanishing.  Files that
 * are edited (action_account.c, scrub's build-user removal) are rewritten
 * line by line by their editors, which must keep every other byte.
 */
#ifndef TT_ACCOUNTS_DB_H
#define TT_ACCOUNTS_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "probe.h"

#define TT_ACCT_MAX_FIELDS 9
/* Far beyond any real table; a bound on what a hostile image can make us
 * read. */
#define TT_ACCT_FILE_MAX ((size_t)16 * 1024 * 1024)

struct tt_root;

enum tt_acct_table {
	TT_ACCT_PASSWD,
	TT_ACCT_SHADOW,
	TT_ACCT_GROUP,
};

struct tt_acct_entry {
	char *buf; /* the line, ':' cut to NULs */
	const char *f[TT_ACCT_MAX_FIELDS]; /* fields; "" beyond nf */
	size_t nf;
	size_t line;
	bool malformed;
	long long id; /* uid (passwd) or gid (group); -1 when not a number */
};

struct tt_acct_table_data {
	enum tt_acct_table table;
	const char *path;
	struct tt_acct_entry *v;
	size_t n;
	long long *ids; /* sorted ids of well-formed entries */
	size_t nids;
};

/* The table, parsed once per audit.  A missing file is an empty table;
 * another failure a negative errno with err set. */
int tt_acct_load(struct tt_audit *a, enum tt_acct_table table,
    const struct tt_acct_table_data **ret, char *err, size_t errlen);

/* The table parsed from text (len bytes), outside an audit.  0 or
 * -ENOMEM; free it with tt_acct_table_free. */
int tt_acct_parse(enum tt_acct_table table, const char *text, size_t len,
    struct tt_acct_table_data **ret);

/* The table read from the image at root: 0, or the negative errno of
 * reading it (-ENOENT when there is no such file), or -ENOMEM. */
int tt_acct_read(const struct tt_root *root, enum tt_acct_table table,
    struct tt_acct_table_data **ret);

void tt_acct_table_free(struct tt_acct_table_data *t);

/* The table named "passwd", "shadow" or "group"; -EINVAL otherwise. */
int tt_acct_table_by_name(const char *name, enum tt_acct_table *ret);

/* True when id is the id of some well-formed entry. */
bool tt_acct_has_id(const struct tt_acct_table_data *t, long long id);

/* The name of the first entry with id, or NULL. */
const char *tt_acct_name_of(const struct tt_acct_table_data *t, long long id);

/* The first entry named name, malformed or not, or NULL. */
const struct tt_acct_entry *
tt_acct_first(const struct tt_acct_table_data *t, const char *name);

/* The well-formed entry named name, or NULL. */
const struct tt_acct_entry *
tt_acct_find(const struct tt_acct_table_data *t, const char *name);

/* UID_MIN of the image's login.defs (1000 when unset or bad). */
long long tt_acct_uid_min(struct tt_audit *a);

/* True for shells that refuse a login: nologin and false. */
bool tt_acct_nologin_shell(const char *shell);

/*
 * Whether shell is a login shell of the image, as the programs that ask
 * decide it (getusershell(3): chsh, pam_shells, and CIS's audits of
 * interactive users): listed in the image's /etc/shells, and not nologin
 * or false.  /bin/sync, /sbin/halt and /sbin/shutdown, the shells of
 * RHEL's and Debian's sync/halt/shutdown accounts, are not.  Without an
 * /etc/shells every shell but nologin and false counts, as before.  0, or
 * a negative errno with err set when /etc/shells cannot be read.
 */
int tt_acct_login_shell(struct tt_audit *a, const char *shell, bool *ret,
    char *err, size_t errlen);

#endif
