/*
 * syslog: one RFC 5424 message per report.  collector_url names where:
 * "" or "unix:/dev/log" (the local syslog socket; a datagram socket, else
 * a stream one), "unix:PATH", "udp://HOST:PORT", "tcp://HOST:PORT" (RFC
 * 6587 octet counting).  Azure Monitor Agent forwards a DCR's syslog
 * facilities to Log Analytics with no token on the VM.
 *
 * <PRI>1 TIMESTAMP HOSTNAME tattoo PROCID report [tattoo@32473 …] MSG
 * facility daemon; severity info when compliant, warning otherwise; the
 * structured data carries the fields syslog filters use, MSG the report.
 */
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "sink.h"
#include "tattoo.h"
#include "tt.h"

/* RFC 5612's example enterprise number: ours until one is registered. */
#define SD_ID "tattoo@32473"
#define FACILITY_DAEMON 3
#define SEV_WARNING 4
#define SEV_INFO 6
#define SYSLOG_TIMEOUT_S 5

/* A header field: printable US-ASCII without spaces, else "-". */
static int
put_field(struct tt_buf *out, const char *s, size_t max)
{
	size_t n = 0;
	int r = 0;

	for (; *s != '\0' && n < max && r == 0; s++, n++) {
		char c = *s;

		if (c <= ' ' || c >= 0x7f)
			c = '_';
		r = tt_buf_putc(out, c);
	}
	if (n == 0 && r == 0)
		r = tt_buf_putc(out, '-');
	return r;
}

/* An SD-PARAM value: '"', '\' and ']' escaped (RFC 5424 6.3.3). */
static int
put_param(struct tt_buf *out, const char *name, const char *v)
{
	int r = tt_buf_printf(out, " %s=\"", name);

	for (; *v != '\0' && r == 0; v++) {
		if (*v == '"' || *v == '\\' || *v == ']')
			r = tt_buf_putc(out, '\\');
		if (r == 0) {
			char c = *v;

			if ((unsigned char)c < ' ')
				c = ' ';
			r = tt_buf_putc(out, c);
		}
	}
	return r ? r : tt_buf_putc(out, '"');
}

static int
syslog_encode(json_object *report, struct tt_buf *out)
{
	const char *compliance = tt_report_str(report, "summary.compliance");
	json_object *failing = tt_json_path(report, "summary.failing");
	const char *host = tt_report_str(report, "vm.name"), *text;
	char hostbuf[256], num[32];
	int sev = TT_STREQ(compliance, "compliant") ? SEV_INFO : SEV_WARNING;
	int r;

	if (host[0] == '\0') {
		if (gethostname(hostbuf, sizeof(hostbuf)) < 0)
			hostbuf[0] = '\0';
		hostbuf[sizeof(hostbuf) - 1] = '\0';
		host = hostbuf;
	}
	snprintf(num, sizeof(num), "%lld",
	    failing ? (long long)json_object_get_int64(failing) : 0LL);
	text = json_object_to_json_string_ext(report,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL)
		return -ENOMEM;
	if ((r = tt_buf_printf(out, "<%d>1 ", FACILITY_DAEMON * 8 + sev)) ||
	    (r = put_field(out, tt_report_str(report, "created"), 32)) ||
	    (r = tt_buf_putc(out, ' ')) || (r = put_field(out, host, 255)) ||
	    (r = tt_buf_printf(out, " tattoo %ld report [" SD_ID,
		 (long)getpid())) ||
	    (r = put_param(out, "report_id",
		 tt_report_str(report, "report_id"))) ||
	    (r = put_param(out, "compliance", compliance)) ||
	    (r = put_param(out, "failing", num)) ||
	    (r = put_param(out, "image",
		 tt_report_str(report, "summary.image"))) ||
	    (r = put_param(out, "verify", tt_report_str(report, "verify"))) ||
	    (r = put_param(out, "drift",
		 tt_report_str(report, "summary.drift"))) ||
	    (r = tt_buf_puts(out, "] ")) || (r = tt_buf_puts(out, text)))
		return r;
	return 0;
}

static void
set_timeouts(int fd)
{
	struct timeval tv = { SYSLOG_TIMEOUT_S, 0 };

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static int
send_unix(const char *path, const struct tt_buf *body, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static const int types[] = { SOCK_DGRAM, SOCK_STREAM };
	int r = -EINVAL;

	if (strlcpy(sa.sun_path, path, sizeof(sa.sun_path)) >=
	    sizeof(sa.sun_path)) {
		tt_seterr(err, errlen, "syslog socket path too long: '%s'",
		    path);
		return -ENAMETOOLONG;
	}
	for (size_t i = 0; i < TT_ARRAY_SIZE(types); i++) {
		int fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);

		if (fd < 0)
			return -errno;
		set_timeouts(fd);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			r = -errno;
			close(fd);
			if (r == -EPROTOTYPE)
				continue;
			break;
		}
		if (types[i] == SOCK_DGRAM)
			r = send(fd, body->data, body->len, MSG_NOSIGNAL) ==
				(ssize_t)body->len ?
			    0 :
			    -errno;
		else {
			/* A stream socket: newline-terminated as the local
			 * daemons read it. */
			ssize_t w =
			    send(fd, body->data, body->len, MSG_NOSIGNAL);

			r = w == (ssize_t)body->len &&
				send(fd, "\n", 1, MSG_NOSIGNAL) == 1 ?
			    0 :
			    -errno;
		}
		close(fd);
		break;
	}
	if (r < 0)
		tt_seterr(err, errlen, "cannot send to syslog socket '%s': %s",
		    path, tt_strerror(-r));
	return r;
}

static int
send_inet(const char *hostport, bool tcp, const struct tt_buf *body, char *err,
    size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
		.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM };
	struct addrinfo *ai = NULL;
	char host[256], prefix[32];
	const char *colon = strrchr(hostport, ':');
	size_t hl;
	int fd = -1, r, g;

	if (colon == NULL || colon == hostport || colon[1] == '\0') {
		tt_seterr(err, errlen, "syslog address '%s' is not HOST:PORT",
		    hostport);
		return -EINVAL;
	}
	hl = (size_t)(colon - hostport);
	if (hostport[0] == '[' && hl >= 2 && hostport[hl - 1] == ']') {
		hostport++;
		hl -= 2;
	}
	if (hl >= sizeof(host)) {
		tt_seterr(err, errlen, "syslog host too long");
		return -EINVAL;
	}
	memcpy(host, hostport, hl);
	host[hl] = '\0';
	if ((g = getaddrinfo(host, colon + 1, &hints, &ai)) != 0) {
		tt_seterr(err, errlen, "cannot resolve syslog host '%s': %s",
		    host, gai_strerror(g));
		return -EHOSTUNREACH;
	}
	r = -EHOSTUNREACH;
	for (struct addrinfo *p = ai; p != NULL; p = p->ai_next) {
		if ((fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC,
			 p->ai_protocol)) < 0)
			continue;
		set_timeouts(fd);
		if (connect(fd, p->ai_addr, p->ai_addrlen) == 0) {
			r = 0;
			break;
		}
		r = -errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (r == 0 && tcp) {
		/* RFC 6587 octet counting: "LEN SP MSG". */
		snprintf(prefix, sizeof(prefix), "%zu ", body->len);
		if (send(fd, prefix, strlen(prefix), MSG_NOSIGNAL) !=
			(ssize_t)strlen(prefix) ||
		    send(fd, body->data, body->len, MSG_NOSIGNAL) !=
			(ssize_t)body->len)
			r = errno ? -errno : -EIO;
	} else if (r == 0) {
		if (send(fd, body->data, body->len, MSG_NOSIGNAL) !=
		    (ssize_t)body->len)
			r = errno ? -errno : -EIO;
	}
	if (fd >= 0)
		close(fd);
	if (r < 0)
		tt_seterr(err, errlen, "cannot send to syslog at %s: %s",
		    hostport, tt_strerror(-r));
	return r;
}

static enum tt_sink_result
syslog_send(struct tt_sink_ctx *ctx, const struct tt_buf *body, char *err,
    size_t errlen)
{
	const char *url = ctx->cfg->collector_url;
	int r;

	if (url[0] == '\0')
		r = send_unix("/dev/log", body, err, errlen);
	else if (strncmp(url, "unix:", 5) == 0)
		r = send_unix(url + 5, body, err, errlen);
	else if (url[0] == '/')
		r = send_unix(url, body, err, errlen);
	else if (strncmp(url, "udp://", 6) == 0)
		r = send_inet(url + 6, false, body, err, errlen);
	else if (strncmp(url, "tcp://", 6) == 0)
		r = send_inet(url + 6, true, body, err, errlen);
	else {
		tt_seterr(err, errlen,
		    "syslog collector_url must be unix:PATH, udp://HOST:PORT "
		    "or tcp://HOST:PORT, not '%s'",
		    url);
		return TT_SINK_RETRY;
	}
	/* A datagram too large for the socket will never fit. */
	if (r == -EMSGSIZE)
		return TT_SINK_DROP;
	return r < 0 ? TT_SINK_RETRY : TT_SINK_OK;
}

const struct tt_sink tt_sink_syslog = {
	.name = "syslog",
	.encode = syslog_encode,
	.send = syslog_send,
};
