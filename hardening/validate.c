#include "fileio.h"
#include "log.h"
#include "process.h"
#include "tt.h"
#include "validate.h"

#define TOOL_TIMEOUT_MS 30000

const struct tt_validate_tool tt_validate_tools[] = {
	{ "sshd -t", "/etc/ssh/sshd_config",
	    { "/usr/sbin/sshd", "-t", "-f", "@/etc/ssh/sshd_config", NULL } },
	{ "visudo -c", "/etc/sudoers",
	    { "/usr/sbin/visudo", "-c", "-f", "@/etc/sudoers", NULL } },
	{ NULL, NULL, { NULL } },
};

static bool
judged_by(const struct tt_validate_tool *t, const struct tt_change *c)
{
	return c->kind != TT_CHANGE_PACKAGE &&
	    strncmp(c->path, t->prefix, strlen(t->prefix)) == 0;
}

/* The change that puts c's path back as it was. */
static int
undo(const struct tt_root *root, const struct tt_change *c)
{
	struct tt_change back;

	memset(&back, 0, sizeof(back));
	strlcpy(back.path, c->path, sizeof(back.path));
	back.existed = true;
	back.mode = c->old_mode;
	back.uid = c->old_uid;
	back.gid = c->old_gid;
	if (!c->existed) {
		back.kind = TT_CHANGE_REMOVE;
	} else if (c->kind == TT_CHANGE_META) {
		back.kind = TT_CHANGE_META;
	} else {
		/* A shallow copy of the old bytes: back is never freed. */
		back.kind = TT_CHANGE_CONTENT;
		back.new = c->old;
	}
	return tt_plan_apply_change(root, &back);
}

/* The first line of what the tool said (stderr, else stdout). */
static void
first_line(const struct tt_spawn_result *res, char *out, size_t len)
{
	const struct tt_buf *b = res->err.len > 0 ? &res->err : &res->out;
	size_t n = b->len ? strcspn(b->data, "\n") : 0;

	snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1),
	    b->data ? b->data : "");
	if (out[0] == '\0')
		snprintf(out, len, "exit status %d", res->status);
}

static int
run_tool(const struct tt_root *root, const struct tt_validate_tool *t,
    struct tt_spawn_result *res)
{
	char args[8][PATH_MAX];
	char *argv[9];
	size_t i;
	int r;

	for (i = 0; i < 8 && t->argv[i] != NULL; i++) {
		if (t->argv[i][0] == '@') {
			r = tt_root_host_path(root, t->argv[i] + 1, args[i],
			    sizeof(args[i]));
			if (r < 0)
				return r;
		} else {
			strlcpy(args[i], t->argv[i], sizeof(args[i]));
		}
		argv[i] = args[i];
	}
	argv[i] = NULL;
	return tt_spawn(argv, (size_t)16 * 1024, TOOL_TIMEOUT_MS, res);
}

int
tt_validate_live(const struct tt_root *root, const struct tt_plan *plan,
    const struct tt_validate_tool *tools, struct tt_buf *report)
{
	int rejected = 0, r = 0;

	for (const struct tt_validate_tool *t = tools; t->name != NULL; t++) {
		struct tt_spawn_result res;
		char said[256];
		bool touched = false;

		for (size_t i = 0; i < plan->n && !touched; i++)
			touched = judged_by(t, &plan->v[i]);
		if (!touched)
			continue;
		memset(&res, 0, sizeof(res));
		r = run_tool(root, t, &res);
		if (r == -ENOENT) {
			tt_spawn_result_free(&res);
			r = 0;
			continue;
		}
		if (r < 0) {
			(void)tt_buf_printf(report,
			    "cannot run %s to check the changes: %s\n", t->name,
			    tt_strerror(r));
			tt_spawn_result_free(&res);
			return r;
		}
		if (res.status == 0 && !res.timed_out) {
			tt_spawn_result_free(&res);
			continue;
		}
		first_line(&res, said, sizeof(said));
		tt_spawn_result_free(&res);
		rejected++;
		(void)tt_buf_printf(report,
		    "%s rejected the changes (%s); undone:", t->name, said);
		for (size_t i = plan->n; i-- > 0;) {
			const struct tt_change *c = &plan->v[i];

			if (!judged_by(t, c))
				continue;
			if ((r = undo(root, c)) < 0) {
				(void)tt_buf_printf(report,
				    " cannot put back %s: %s\n", c->path,
				    tt_strerror(r));
				return r;
			}
			(void)tt_buf_printf(report, " %s (rule %s)", c->path,
			    c->rule);
		}
		(void)tt_buf_putc(report, '\n');
	}
	return rejected;
}

void
tt_validate_unchecked(const struct tt_plan *plan,
    const struct tt_validate_tool *tools, struct tt_buf *report)
{
	int n = 0;

	for (const struct tt_validate_tool *t = tools; t->name != NULL; t++) {
		bool touched = false;

		for (size_t i = 0; i < plan->n && !touched; i++)
			touched = judged_by(t, &plan->v[i]);
		if (touched)
			(void)tt_buf_printf(report, "%s%s", n++ ? ", " : "",
			    t->name);
	}
	if (n > 0)
		(void)tt_buf_puts(report,
		    ": not run under --root (the image's own code): check "
		    "in a chroot or VM of the image");
}
