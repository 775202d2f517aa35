/*
 * Collector sinks, one file each (sink_json.c, sink_azure_monitor.c,
 * sink_otlp.c, sink_syslog.c), registered in one table in sink.c and
 * chosen by `collector_format`.  A sink turns a report (the JSON object of
 * DESIGN.md) into its wire format and delivers it.  As Fluent Bit's
 * outputs do, a sink only says what happened; the report round owns the
 * retries and the backoff (tt_report_retry, retry.h), and the spool keeps
 * the reports meanwhile.
 */
#ifndef TT_SINK_H
#define TT_SINK_H

#include <json-c/json.h>

#include "buf.h"
#include "config.h"
#include "retry.h"
#include "token.h"

/* The largest wire body a sink builds (Logs Ingestion takes 1 MB). */
#define TT_SINK_MAX_BODY ((size_t)1024 * 1024)

/* The answers of an HTTP collector that keep a report in the spool
 * (retry.h): transport errors, 408, 429, 5xx, and 401/403, which are
 * configuration (a role, a token file) that a person fixes while the
 * reports wait.  A 429's Retry-After counts. */
#define TT_SINK_RETRY_ON                                                       \
	(TT_RETRY_ON_TRANSPORT | TT_RETRY_ON_408 | TT_RETRY_ON_429 |           \
	    TT_RETRY_ON_5XX | TT_RETRY_ON_AUTH)
#define TT_SINK_RETRY_AFTER_ON TT_RETRY_ON_429

enum tt_sink_result {
	TT_SINK_OK, /* accepted: remove it from the spool */
	TT_SINK_RETRY, /* network error, 408, 429, 5xx, 401/403: keep it */
	TT_SINK_DROP, /* the collector refused this report for good (4xx) */
};

struct tt_sink_ctx {
	const struct tt_config *cfg;
	struct tt_token_cache *tokens;
	const char *bearer; /* collector_token_file's token, or NULL */
	long retry_after_s; /* set by a sink from a 429, else -1 */
};

struct tt_sink {
	const char *name;
	/* Appends the wire body of report to out.  0 or a negative errno. */
	int (*encode)(json_object *report, struct tt_buf *out);
	/* Delivers body; err says why when the result is not OK. */
	enum tt_sink_result (*send)(struct tt_sink_ctx *ctx,
	    const struct tt_buf *body, char *err, size_t errlen);
};

extern const struct tt_sink tt_sink_json;
extern const struct tt_sink tt_sink_azure_monitor;
extern const struct tt_sink tt_sink_otlp;

/* A column of the azure-monitor record (sink_azure_monitor.c): its name,
 * its Log Analytics type, the report member it holds, and whether the
 * JSON value is copied as it is (else its text). */
struct tt_am_column {
	const char *name, *type, *path;
	bool copy;
};
extern const struct tt_am_column tt_am_columns[];
extern const size_t tt_am_ncolumns;
extern const struct tt_sink tt_sink_syslog;

/* The sink called name, or NULL. */
const struct tt_sink *tt_sink_find(const char *name);

/* The name of the i-th sink of the table, or NULL past its end: the
 * values of collector_format that the configuration accepts. */
const char *tt_sink_name(size_t i);

/*
 * POSTs body to the collector URL with the TLS settings of cfg, a bearer
 * token (ctx->bearer, else a managed-identity token for resource when it
 * is not NULL) and content_type; maps the answer to a result: 2xx OK (want,
 * the documented status, is only compared for a debug note: any 2xx means
 * the report arrived); 408, 429, 5xx, 401, 403 and transport errors RETRY;
 * other statuses DROP.
 */
enum tt_sink_result tt_sink_http_post(struct tt_sink_ctx *ctx,
    const char *resource, const char *content_type, long want,
    const struct tt_buf *body, char *err, size_t errlen);

/* Reads a bearer token file (host path, root-owned, not group- or world-
 * writable, at most 16 KiB, surrounding white space dropped).  On 0 *ret
 * is malloc'ed; the caller wipes and frees it. */
int
tt_sink_read_token_file(const char *path, char **ret, char *err, size_t errlen);

/* Small JSON helpers for the encoders: the string at a dotted path of
 * report, or "" when absent or not a string. */
const char *tt_report_str(json_object *report, const char *path);

#endif
