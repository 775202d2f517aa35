/*
 * The rpm database of a RHEL-family image, read by running
 * `rpm --root ROOT -qa` once per audit (posix_spawn, an argv, no shell).
 * librpm would be a second package database implementation to link,
 * version-matched to the image's database format (BerkeleyDB, NDB or
 * sqlite by release); the image's own format is exactly what the rpm
 * tool of the host reads, and one child process per audit costs
 * milliseconds.
 */
#ifndef TT_RPMDB_H
#define TT_RPMDB_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "rootfs.h"

struct tt_rpm_package {
	char *name;
	char *evr; /* [epoch:]version-release */
};

struct tt_rpmdb {
	struct tt_rpm_package *v;
	size_t n;
};

/* True when the root holds an rpm database (/var/lib/rpm or
 * /usr/lib/sysimage/rpm). */
bool tt_rpmdb_present(const struct tt_root *root);

/* That database's directory inside the root, or NULL. */
const char *tt_rpmdb_dir(const struct tt_root *root);

/*
 * Lists the installed packages.  Returns 0; -ENOENT when the rpm program
 * is missing on this machine; -EIO when rpm failed (err has its message).
 */
int tt_rpmdb_load(const struct tt_root *root, struct tt_rpmdb *ret, char *err,
    size_t errlen);

/*
 * Runs `rpm -qa --qf QF` on the root's database (a private copy of it
 * under --root) and gives its standard output in out (tt_buf_free it).
 * The one way the agent asks an image's rpm database anything: the package
 * probe and the SBOM read the same answer.  Errors as tt_rpmdb_load.
 */
int tt_rpmdb_query(const struct tt_root *root, const char *qf,
    struct tt_buf *out, char *err, size_t errlen);

/* The package called name, or NULL. */
const struct tt_rpm_package *
tt_rpmdb_find(const struct tt_rpmdb *db, const char *name);

/* Parses `rpm -qa --qf '%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\n'`
 * output; exposed for tests and fuzzing. */
int tt_rpmdb_parse(const char *text, size_t len, struct tt_rpmdb *ret);

void tt_rpmdb_free(struct tt_rpmdb *db);

#endif
