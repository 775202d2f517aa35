/*
 * Precompiled rule packs (rules.h, tt_pack_precompile): what tt_pack_parse
 * builds from a pack's JSON, written as a flat little-endian blob by the
 * build and read back by every audit without json-c.  Strings are stored
 * with their NUL and used in place; arrays, check trees and compiled
 * regexes are rebuilt as tt_pack_free expects to free them.
 *
 * A string is u32 length + 1 (0: NULL) then the bytes and a NUL; numbers
 * are u32 (u64 as two).  The layout follows the structs in order:
 *   "TTPK" u32 version, name, benchmark, u32 2*nsections, sections
 *   (number, title, ...), applies, u32 nrules, rules, u32 nprofiles,
 *   profiles.
 */
#include "buf.h"
#include "log.h"
#include "rules.h"
#include "tt.h"

#define PRECOMPILED_MAGIC "TTPK"
/* 3: a rule's references.azure, after ssg; 4: references.stig (id, cat,
 * vuln, rule) after fix_text. */
#define PRECOMPILED_VERSION 4U
/* A blob is the build's own output: bounds keep a damaged one from asking
 * for absurd allocations. */
#define PRECOMPILED_MAX_COUNT 100000U

static int
put_u32(struct tt_buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8),
		(unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	return tt_buf_append(b, x, sizeof(x));
}

static int
put_str(struct tt_buf *b, const char *s)
{
	size_t n;
	int r;

	if (s == NULL)
		return put_u32(b, 0);
	n = strlen(s);
	if (n >= UINT32_MAX - 1)
		return -EFBIG;
	if ((r = put_u32(b, (uint32_t)n + 1)) < 0)
		return r;
	return tt_buf_append(b, s, n + 1);
}

static int
put_strs(struct tt_buf *b, const char *const *v, size_t n)
{
	int r = put_u32(b, (uint32_t)n);

	for (size_t i = 0; r == 0 && i < n; i++)
		r = put_str(b, v[i]);
	return r;
}

static int
put_applies(struct tt_buf *b, const struct tt_applies *ap)
{
	int r = put_strs(b, ap->ids, ap->nids);

	return r < 0 ? r : put_strs(b, ap->versions, ap->nversions);
}

static int
put_cond(struct tt_buf *b, const struct tt_cond *c)
{
	uint64_t num = (uint64_t)c->num;
	int r;

	if ((r = put_str(b, c->field)) < 0 ||
	    (r = put_u32(b, (uint32_t)c->op)) < 0 ||
	    (r = put_str(b, c->value)) < 0 ||
	    (r = put_strs(b, c->values, c->nvalues)) < 0 ||
	    (r = put_u32(b, (uint32_t)num)) < 0 ||
	    (r = put_u32(b, (uint32_t)(num >> 32))) < 0 ||
	    (r = put_u32(b, c->mode)) < 0)
		return r;
	return put_u32(b, (c->nocase ? 1U : 0U) | (c->optional ? 2U : 0U));
}

static int
put_conds(struct tt_buf *b, const struct tt_cond *v, size_t n)
{
	int r = put_u32(b, (uint32_t)n);

	for (size_t i = 0; r == 0 && i < n; i++)
		r = put_cond(b, &v[i]);
	return r;
}

static int
put_check(struct tt_buf *b, const struct tt_check *ch)
{
	const struct tt_params *p;
	uint32_t nparams = 0;
	int r;

	if (ch == NULL)
		return put_u32(b, UINT32_MAX);
	p = &ch->params;
	if ((r = put_u32(b, (uint32_t)ch->kind)) < 0)
		return r;
	if (ch->kind != TT_CHECK_PROBE) {
		r = put_u32(b, (uint32_t)ch->nsub);
		for (size_t i = 0; r == 0 && i < ch->nsub; i++)
			r = put_check(b, &ch->sub[i]);
		return r;
	}
	for (size_t i = 0; i < TT_PROBE_MAX_PARAMS; i++)
		nparams += p->v[i] != NULL;
	if ((r = put_str(b, p->probe->name)) < 0 ||
	    (r = put_u32(b, p->icase ? 1U : 0U)) < 0 ||
	    (r = put_u32(b, nparams)) < 0)
		return r;
	for (size_t i = 0; r == 0 && i < TT_PROBE_MAX_PARAMS; i++)
		if (p->v[i] != NULL &&
		    (r = put_str(b, p->probe->params[i].name)) == 0)
			r = put_str(b, p->v[i]);
	if (r < 0 || (r = put_str(b, ch->memo_key)) < 0 ||
	    (r = put_conds(b, ch->filter, ch->nfilter)) < 0 ||
	    (r = put_conds(b, ch->expect, ch->nexpect)) < 0 ||
	    (r = put_u32(b, (uint32_t)ch->quant)) < 0)
		return r;
	return put_u32(b, ch->empty_pass ? 1U : 0U);
}

static int
put_rule(struct tt_buf *b, const struct tt_rule *rule)
{
	const char *const strs[] = { rule->id, rule->title, rule->description,
		rule->rationale, rule->severity, rule->cis, rule->ssg,
		rule->azure, rule->manual, rule->expected, rule->fix_text,
		rule->stig_id, rule->stig_cat, rule->stig_vuln,
		rule->stig_rule };
	uint32_t flags = (rule->scope_image ? 1U : 0U) |
	    (rule->scope_runtime ? 2U : 0U) | (rule->has_applies ? 4U : 0U);
	int r = 0;

	for (size_t i = 0; r == 0 && i < TT_ARRAY_SIZE(strs); i++)
		r = put_str(b, strs[i]);
	if (r < 0 || (r = put_u32(b, flags)) < 0 ||
	    (r = put_applies(b, &rule->applies)) < 0 ||
	    (r = put_u32(b, (uint32_t)rule->line)) < 0 ||
	    (r = put_check(b, rule->check)) < 0)
		return r;
	return put_check(b, rule->requires);
}

int
tt_pack_precompile(const struct tt_pack *pack, struct tt_buf *out)
{
	int r;

	/* Only a pack whose fix text is kept has all an audit shows. */
	if (pack->doc != NULL)
		return -EINVAL;
	if ((r = tt_buf_append(out, PRECOMPILED_MAGIC, 4)) < 0 ||
	    (r = put_u32(out, PRECOMPILED_VERSION)) < 0 ||
	    (r = put_str(out, pack->name)) < 0 ||
	    (r = put_str(out, pack->benchmark)) < 0 ||
	    (r = put_strs(out, pack->sections, 2 * pack->nsections)) < 0 ||
	    (r = put_applies(out, &pack->applies)) < 0 ||
	    (r = put_u32(out, (uint32_t)pack->nrules)) < 0)
		return r;
	for (size_t i = 0; r == 0 && i < pack->nrules; i++)
		r = put_rule(out, &pack->rules[i]);
	if (r < 0 || (r = put_u32(out, (uint32_t)pack->nprofiles)) < 0)
		return r;
	for (size_t i = 0; r == 0 && i < pack->nprofiles; i++) {
		const struct tt_profile *pr = &pack->profiles[i];

		if ((r = put_str(out, pr->id)) < 0 ||
		    (r = put_str(out, pr->title)) < 0 ||
		    (r = put_u32(out, (uint32_t)pr->nrules)) < 0)
			return r;
		for (size_t k = 0; r == 0 && k < pr->nrules; k++)
			r = put_u32(out, (uint32_t)pr->rules[k]);
	}
	return r;
}

/* Reading: every step checks the bounds; the first failure sticks. */
struct reader {
	const unsigned char *p, *end;
	const char *why;
};

static uint32_t
get_u32(struct reader *rd)
{
	uint32_t v;

	if (rd->why != NULL)
		return 0;
	if (rd->end - rd->p < 4) {
		rd->why = "truncated";
		return 0;
	}
	v = (uint32_t)rd->p[0] | (uint32_t)rd->p[1] << 8 |
	    (uint32_t)rd->p[2] << 16 | (uint32_t)rd->p[3] << 24;
	rd->p += 4;
	return v;
}

static uint32_t
get_count(struct reader *rd)
{
	uint32_t n = get_u32(rd);

	if (n > PRECOMPILED_MAX_COUNT && rd->why == NULL)
		rd->why = "a count out of bounds";
	return rd->why == NULL ? n : 0;
}

static const char *
get_str(struct reader *rd)
{
	uint32_t n = get_u32(rd);
	const char *s;

	if (rd->why != NULL || n == 0)
		return NULL;
	if ((size_t)(rd->end - rd->p) < n || rd->p[n - 1] != '\0' ||
	    memchr(rd->p, '\0', n - 1) != NULL) {
		rd->why = "a string out of bounds";
		return NULL;
	}
	s = (const char *)rd->p;
	rd->p += n;
	return s;
}

/* An array of n strings, NULL when n is 0 as the parser leaves it. */
static int
get_strs(struct reader *rd, const char ***ret, size_t *ret_n)
{
	uint32_t n = get_count(rd);

	*ret = NULL;
	*ret_n = 0;
	if (n == 0)
		return 0;
	if ((*ret = calloc((size_t)n + 1, sizeof(**ret))) == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		(*ret)[i] = get_str(rd);
	*ret_n = n;
	return 0;
}

static int
get_applies(struct reader *rd, struct tt_applies *ap)
{
	int r = get_strs(rd, &ap->ids, &ap->nids);

	return r < 0 ? r : get_strs(rd, &ap->versions, &ap->nversions);
}

static int
get_conds(struct reader *rd, struct tt_cond **ret, size_t *ret_n)
{
	uint32_t n = get_count(rd);
	int r;

	*ret = NULL;
	*ret_n = 0;
	if (n == 0)
		return 0;
	if ((*ret = calloc((size_t)n + 1, sizeof(**ret))) == NULL)
		return -ENOMEM;
	*ret_n = n;
	for (uint32_t i = 0; i < n && rd->why == NULL; i++) {
		struct tt_cond *c = &(*ret)[i];
		uint64_t lo, hi;
		uint32_t op, flags;

		c->field = get_str(rd);
		op = get_u32(rd);
		c->value = get_str(rd);
		if ((r = get_strs(rd, &c->values, &c->nvalues)) < 0)
			return r;
		lo = get_u32(rd);
		hi = get_u32(rd);
		c->num = (long long)(lo | hi << 32);
		c->mode = get_u32(rd);
		flags = get_u32(rd);
		c->nocase = (flags & 1U) != 0;
		c->optional = (flags & 2U) != 0;
		if (op > TT_OP_ABSENT || c->field == NULL) {
			rd->why = rd->why ? rd->why : "a bad condition";
			return 0;
		}
		c->op = (enum tt_op)op;
		if ((c->op == TT_OP_MATCH || c->op == TT_OP_NOT_MATCH) &&
		    rd->why == NULL) {
			if (c->value == NULL) {
				rd->why = "a match without a pattern";
				return 0;
			}
			/* Compiled by tt_check_compile_conds when the rule is
			 * judged: the build compiled it from the JSON. */
		}
	}
	return 0;
}

static int get_check(struct reader *rd, int depth, struct tt_check *ch);

static int
get_probe_check(struct reader *rd, struct tt_check *ch)
{
	const char *name = get_str(rd);
	uint32_t icase = get_u32(rd), n = get_count(rd);
	char why[256];
	uint32_t quant;
	int r;

	ch->kind = TT_CHECK_PROBE;
	if (rd->why != NULL)
		return 0;
	if (name == NULL || (ch->params.probe = tt_probe_find(name)) == NULL) {
		rd->why = "an unknown probe";
		return 0;
	}
	ch->params.icase = icase != 0;
	for (uint32_t i = 0; i < n && rd->why == NULL; i++) {
		const char *key = get_str(rd), *value = get_str(rd);

		if (key == NULL || value == NULL) {
			rd->why =
			    rd->why ? rd->why : "a parameter without a value";
			return 0;
		}
		r = tt_params_set_deferred(&ch->params, key, value, icase != 0,
		    why, sizeof(why));
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			rd->why = "a bad parameter";
	}
	if ((name = get_str(rd)) != NULL &&
	    (ch->memo_key = strdup(name)) == NULL)
		return -ENOMEM;
	if ((r = get_conds(rd, &ch->filter, &ch->nfilter)) < 0 ||
	    (r = get_conds(rd, &ch->expect, &ch->nexpect)) < 0)
		return r;
	quant = get_u32(rd);
	ch->empty_pass = get_u32(rd) != 0;
	if (quant > TT_Q_NONE || (ch->memo_key == NULL && rd->why == NULL))
		rd->why = rd->why ? rd->why : "a bad probe check";
	ch->quant = (enum tt_quant)quant;
	return 0;
}

static int
get_check(struct reader *rd, int depth, struct tt_check *ch)
{
	uint32_t kind = get_u32(rd), n;
	int r;

	if (rd->why != NULL)
		return 0;
	if (depth > TT_CHECK_MAX_DEPTH || kind > TT_CHECK_NOT) {
		rd->why = "a bad check";
		return 0;
	}
	if (kind == TT_CHECK_PROBE)
		return get_probe_check(rd, ch);
	ch->kind = (enum tt_check_kind)kind;
	if ((n = get_count(rd)) == 0) {
		rd->why = rd->why ? rd->why : "an empty check list";
		return 0;
	}
	if ((ch->sub = calloc(n, sizeof(*ch->sub))) == NULL)
		return -ENOMEM;
	ch->nsub = n;
	for (uint32_t i = 0; i < n && rd->why == NULL; i++)
		if ((r = get_check(rd, depth + 1, &ch->sub[i])) < 0)
			return r;
	return 0;
}

/* A rule's check or requires: u32 UINT32_MAX stands for none. */
static int
get_optional_check(struct reader *rd, struct tt_check **ret)
{
	const unsigned char *at = rd->p;

	*ret = NULL;
	if (get_u32(rd) == UINT32_MAX || rd->why != NULL)
		return 0;
	rd->p = at;
	if ((*ret = calloc(1, sizeof(**ret))) == NULL)
		return -ENOMEM;
	return get_check(rd, 0, *ret);
}

static int
get_rule(struct reader *rd, struct tt_pack *pack, struct tt_rule *rule)
{
	uint32_t flags;
	int r;

	rule->pack = pack;
	rule->id = get_str(rd);
	rule->title = get_str(rd);
	rule->description = get_str(rd);
	rule->rationale = get_str(rd);
	rule->severity = get_str(rd);
	rule->cis = get_str(rd);
	rule->ssg = get_str(rd);
	rule->azure = get_str(rd);
	rule->manual = get_str(rd);
	rule->expected = get_str(rd);
	rule->fix_text = get_str(rd);
	rule->stig_id = get_str(rd);
	rule->stig_cat = get_str(rd);
	rule->stig_vuln = get_str(rd);
	rule->stig_rule = get_str(rd);
	flags = get_u32(rd);
	rule->scope_image = (flags & 1U) != 0;
	rule->scope_runtime = (flags & 2U) != 0;
	rule->has_applies = (flags & 4U) != 0;
	if ((r = get_applies(rd, &rule->applies)) < 0)
		return r;
	rule->line = get_u32(rd);
	if ((r = get_optional_check(rd, &rule->check)) < 0 ||
	    (r = get_optional_check(rd, &rule->requires)) < 0)
		return r;
	if (rule->id == NULL && rd->why == NULL)
		rd->why = "a rule without an id";
	return 0;
}

static int
get_profiles(struct reader *rd, struct tt_pack *pack)
{
	uint32_t n = get_count(rd);

	if (n == 0)
		return 0;
	if ((pack->profiles = calloc(n, sizeof(*pack->profiles))) == NULL)
		return -ENOMEM;
	pack->nprofiles = n;
	for (uint32_t i = 0; i < n && rd->why == NULL; i++) {
		struct tt_profile *pr = &pack->profiles[i];
		uint32_t k, nr;

		pr->id = get_str(rd);
		pr->title = get_str(rd);
		nr = get_count(rd);
		if ((pr->rules = calloc((size_t)nr + 1, sizeof(*pr->rules))) ==
		    NULL)
			return -ENOMEM;
		for (k = 0; k < nr && rd->why == NULL; k++) {
			pr->rules[k] = get_u32(rd);
			if (pr->rules[k] >= pack->nrules)
				rd->why = "a profile naming no rule";
		}
		pr->nrules = k;
		if (pr->id == NULL && rd->why == NULL)
			rd->why = "a profile without an id";
	}
	return 0;
}

int
tt_pack_load_precompiled(const char *file, const unsigned char *blob,
    size_t len, const uint8_t sha256[32], struct tt_pack **ret, char *err,
    size_t errlen)
{
	struct reader rd = { .p = blob, .end = blob + len };
	struct tt_pack *pack;
	size_t dup, first;
	uint32_t n;
	int r = 0;

	if (len < 8 || memcmp(blob, PRECOMPILED_MAGIC, 4) != 0) {
		tt_seterr(err, errlen, "%s: not a precompiled pack", file);
		return -EINVAL;
	}
	rd.p += 4;
	if (get_u32(&rd) != PRECOMPILED_VERSION) {
		tt_seterr(err, errlen, "%s: precompiled by another version",
		    file);
		return -EINVAL;
	}
	if ((pack = calloc(1, sizeof(*pack))) == NULL ||
	    (pack->file = strdup(file)) == NULL) {
		free(pack);
		return -ENOMEM;
	}
	memcpy(pack->sha256, sha256, sizeof(pack->sha256));
	pack->name = get_str(&rd);
	pack->benchmark = get_str(&rd);
	if ((r = get_strs(&rd, &pack->sections, &pack->nsections)) < 0)
		goto out;
	if (pack->nsections % 2 != 0 && rd.why == NULL)
		rd.why = "an odd count of section strings";
	pack->nsections /= 2;
	for (size_t i = 0; i < 2 * pack->nsections && rd.why == NULL; i++)
		if (pack->sections[i] == NULL)
			rd.why = "a section without a number or title";
	if ((r = get_applies(&rd, &pack->applies)) < 0)
		goto out;
	n = get_count(&rd);
	if (n > 0 && (pack->rules = calloc(n, sizeof(*pack->rules))) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < n && rd.why == NULL; i++) {
		pack->nrules = i + 1;
		if ((r = get_rule(&rd, pack, &pack->rules[i])) < 0)
			goto out;
	}
	if ((r = get_profiles(&rd, pack)) < 0)
		goto out;
	if (rd.why == NULL && rd.p != rd.end)
		rd.why = "data after the end";
	if (rd.why == NULL && pack->name == NULL)
		rd.why = "no pack name";
	if (rd.why != NULL) {
		tt_seterr(err, errlen,
		    "%s: precompiled pack damaged: %s at byte "
		    "%zu",
		    file, rd.why, (size_t)(rd.p - blob));
		r = -EINVAL;
		goto out;
	}
	if ((r = tt_pack_index(pack, &dup, &first)) == -EEXIST) {
		tt_seterr(err, errlen,
		    "%s: precompiled pack damaged: rule '%s' "
		    "twice",
		    file, pack->rules[dup].id);
		r = -EINVAL;
	}
out:
	if (r < 0) {
		tt_pack_free(pack);
		return r;
	}
	*ret = pack;
	return 0;
}
