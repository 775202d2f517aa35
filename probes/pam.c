#include <ctype.h>

#include "fileio.h"
#include "util.h"
#include "tt.h"

static const char *const types[] = { "auth", "account", "password", "session",
	NULL };

static const struct tt_param_spec params[] = {
	{ "service", TT_PARAM_STRING, true, NULL,
	    "a file of /etc/pam.d (common-password, sshd)" },
	{ "type", TT_PARAM_CHOICE, false, types, "only lines of this type" },
	{ "module", TT_PARAM_STRING, false, NULL,
	    "only lines of this module (pam_faillock.so)" },
	{ "arg", TT_PARAM_STRING, false, NULL,
	    "an option to look for on each line (remember, deny)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "service", "type", "control", "module",
	"args", "file", "line", "arg_present", "arg_value", NULL };

struct pam_req {
	struct tt_audit *a;
	const char *service, *type, *module, *arg;
	struct tt_items *out;
	struct tt_include_stack stack; /* loops and depth end here */
	char *err;
	size_t errlen;
};

static bool
arg_of(const char *args, const char *arg, char *value, size_t size)
{
	char buf[TT_PROBE_LINE_MAX], *save = NULL;
	size_t n = strlen(arg);

	strlcpy(buf, args, sizeof(buf));
	value[0] = '\0';
	for (char *w = strtok_r(buf, " \t", &save); w != NULL;
	     w = strtok_r(NULL, " \t", &save)) {
		if (strncmp(w, arg, n) == 0 && (w[n] == '\0' || w[n] == '=')) {
			if (w[n] == '=')
				strlcpy(value, w + n + 1, size);
			return true;
		}
	}
	return false;
}

static int stack(struct pam_req *q, const char *service, const char *only);

static int
emit(struct pam_req *q, const char *file, size_t line, const char *type,
    const char *control, const char *module, const char *args)
{
	const char *base = strrchr(module, '/');
	struct tt_item *it;
	char value[1024];
	int r;

	base = base ? base + 1 : module;
	if (q->type != NULL && !TT_STREQ(q->type, type))
		return 0;
	if (q->module != NULL && !TT_STREQ(q->module, base))
		return 0;
	if ((r = tt_items_add(q->out, &it)) < 0 ||
	    (r = tt_item_set(it, "service", q->service)) < 0 ||
	    (r = tt_item_set(it, "type", type)) < 0 ||
	    (r = tt_item_set(it, "control", control)) < 0 ||
	    (r = tt_item_set(it, "module", base)) < 0 ||
	    (r = tt_item_set(it, "args", args)) < 0 ||
	    (r = tt_item_set(it, "file", file)) < 0 ||
	    (r = tt_item_setf(it, "line", "%zu", line)) < 0)
		return r;
	if (q->arg != NULL) {
		bool present = arg_of(args, q->arg, value, sizeof(value));

		if ((r = tt_item_set_bool(it, "arg_present", present)) < 0 ||
		    (r = tt_item_set(it, "arg_value", value)) < 0)
			return r;
	}
	return 0;
}

/*
 * Reads /etc/pam.d/service and expands "@include file" (all types) and
 * "type include|substack file" (that type only) where they stand, so the
 * items are the stack in the order PAM runs it.
 */
static int
stack(struct pam_req *q, const char *service, const char *only)
{
	char path[PATH_MAX], *line;
	struct tt_buf text;
	struct tt_lines l;
	size_t lineno;
	int r;

	if (strchr(service, '/') != NULL)
		return 0;
	snprintf(path, sizeof(path), "/etc/pam.d/%s", service);
	/* libpam refuses a stack that includes itself or nests past its
	 * limit; here the rule says so (err names the file). */
	r = tt_include_read(q->a, &q->stack, path, &text, q->err, q->errlen);
	if (r == -ENOENT) {
		q->err[0] = '\0';
		return 0;
	}
	if (r < 0)
		return r;
	if ((line = malloc(TT_PROBE_LINE_MAX)) == NULL) {
		tt_include_pop(&q->stack);
		tt_buf_free(&text);
		return -ENOMEM;
	}
	tt_lines_init(&l, text.data, text.len);
	while (r == 0 &&
	    tt_lines_next(&l, line, TT_PROBE_LINE_MAX, true, &lineno) > 0) {
		char *s = tt_trim(line), *type, *control, *module, *p;

		if (*s == '#' || *s == '\0')
			continue;
		if (strncmp(s, "@include", 8) == 0 &&
		    isspace((unsigned char)s[8])) {
			r = stack(q, tt_trim(s + 8), only);
			continue;
		}
		type = s;
		p = s + strcspn(s, " \t");
		if (*p == '\0')
			continue;
		*p++ = '\0';
		if (*type == '-')
			type++;
		p += strspn(p, " \t");
		control = p;
		if (*p == '[') {
			char *close = strchr(p, ']');

			if (close == NULL)
				continue;
			p = close + 1;
		} else {
			p += strcspn(p, " \t");
		}
		if (*p == '\0')
			continue;
		*p++ = '\0';
		p += strspn(p, " \t");
		module = p;
		p += strcspn(p, " \t");
		if (*p != '\0')
			*p++ = '\0';
		if (only != NULL && !TT_STREQ(only, type))
			continue;
		if (TT_STREQ(control, "include") ||
		    TT_STREQ(control, "substack")) {
			r = stack(q, module, type);
			continue;
		}
		r = emit(q, path, lineno, type, control, module, tt_trim(p));
	}
	free(line);
	tt_buf_free(&text);
	tt_include_pop(&q->stack);
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct pam_req q = {
		.a = a,
		.service = tt_param(p, "service", ""),
		.type = tt_param(p, "type", NULL),
		.module = tt_param(p, "module", NULL),
		.arg = tt_param(p, "arg", NULL),
		.out = out,
		.err = err,
		.errlen = errlen,
	};

	int r = stack(&q, q.service, NULL);

	tt_include_clear(&q.stack);
	return r;
}

const struct tt_probe tt_probe_pam = {
	.name = "pam",
	.description =
	    "the lines of a PAM stack in the order PAM runs them, "
	    "with @include, include and substack expanded, and a module "
	    "option's presence and value",
	.params = params,
	.fields = fields,
	.run = run,
};
