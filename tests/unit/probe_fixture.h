/*
 * Fixture roots for probe tests: files written into a fresh temporary
 * directory, and a probe run with parameters given as name/value pairs.
 */
#ifndef TT_PROBE_FIXTURE_H
#define TT_PROBE_FIXTURE_H

#include <fcntl.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tt.h"
#include "probe.h"
#include "rootfs.h"
#include "tt_test.h"

static char *fx_dir;
static struct tt_root fx_root;
static struct tt_audit fx_audit;

static __attribute__((unused)) void
fx_mkdirs(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	}
}

/* Writes content to path inside the fixture root with mode. */
static __attribute__((unused)) void
fx_put_mode(const char *path, const char *content, mode_t mode)
{
	char full[PATH_MAX];
	int fd;

	snprintf(full, sizeof(full), "%s%s", fx_dir, path);
	fx_mkdirs(full);
	fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(full);
		exit(2);
	}
	if (write(fd, content, strlen(content)) < 0)
		perror("write");
	fchmod(fd, mode);
	close(fd);
}

static __attribute__((unused)) void
fx_put(const char *path, const char *content)
{
	fx_put_mode(path, content, 0644);
}

static __attribute__((unused)) void
fx_link(const char *target, const char *path)
{
	char full[PATH_MAX];

	snprintf(full, sizeof(full), "%s%s", fx_dir, path);
	fx_mkdirs(full);
	unlink(full);
	if (symlink(target, full) < 0)
		perror(full);
}

static __attribute__((unused)) void
fx_mkdir(const char *path)
{
	char full[PATH_MAX];

	snprintf(full, sizeof(full), "%s%s/", fx_dir, path);
	fx_mkdirs(full);
}

/* A fresh root and audit context (image mode unless runtime). */
static __attribute__((unused)) void
fx_begin(bool runtime)
{
	fx_dir = tt_test_tmpdir();
	if (tt_root_init(&fx_root, fx_dir) < 0) {
		perror("root");
		exit(2);
	}
	tt_audit_init(&fx_audit, &fx_root, runtime);
}

static __attribute__((unused)) void
fx_end(void)
{
	char cmd[PATH_MAX + 16];
	char *argv[] = { (char *)"rm", (char *)"-rf", fx_dir, NULL };
	pid_t pid;

	(void)cmd;
	tt_audit_free(&fx_audit);
	tt_root_close(&fx_root);
	pid = fork();
	if (pid == 0) {
		execvp("rm", argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	free(fx_dir);
}

/* Runs probe with params ("name", "value", ..., NULL); items in ret.
 * Returns the probe's return value; err gets its reason. */
static __attribute__((unused)) int
fx_run(const char *probe, struct tt_items *ret, char *err, size_t errlen,
    ...)
{
	struct tt_params p = { .probe = tt_probe_find(probe) };
	const char *name, *value;
	va_list ap;
	int r;

	memset(ret, 0, sizeof(*ret));
	if (p.probe == NULL) {
		snprintf(err, errlen, "no probe %s", probe);
		return -ENOENT;
	}
	va_start(ap, errlen);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		if ((r = tt_params_set(&p, name, value, false, err,
		    errlen)) < 0) {
			va_end(ap);
			tt_params_free(&p);
			return r;
		}
	}
	va_end(ap);
	r = p.probe->run(&fx_audit, &p, ret, err, errlen);
	tt_params_free(&p);
	return r;
}

/* The field of item i, or "(none)". */
static __attribute__((unused)) const char *
fx_get(const struct tt_items *items, size_t i, const char *field)
{
	const char *v;

	if (i >= items->n)
		return "(no item)";
	v = tt_item_get(&items->v[i], field);
	return v ? v : "(none)";
}

#endif
