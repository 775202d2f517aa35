/*
 * The log_forward probe's parsers (probes/log_forward.c): rsyslog's
 * forwarding actions in legacy and RainerScript syntax, journal-upload's
 * URL, and the default ports.
 */
#include "tt.h"
#include "util.h"
#include "tt_test.h"

struct seen {
	char text[2048];
	int n;
};

static int
record(const struct tt_logfwd *t, void *arg)
{
	struct seen *s = arg;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s%s %s:%s @%zu",
	    s->n ? "; " : "", t->proto, t->host, tt_logfwd_port(t), t->line);
	s->n++;
	return 0;
}

static const char *
scan(const char *text)
{
	static struct seen s;

	memset(&s, 0, sizeof(s));
	CHECK_INT(tt_logfwd_rsyslog(text, strlen(text), record, &s), 0);
	return s.text;
}

static void
legacy_lines(void)
{
	CHECK_STR(scan("*.* @@loghost.example:10514\n"),
	    "tcp loghost.example:10514 @1");
	CHECK_STR(scan("# header\nauth,authpriv.* @10.0.0.1\n"),
	    "udp 10.0.0.1:514 @2");
	CHECK_STR(scan("*.*\t@@(o,z9)[fd00::1]:6514;RSYSLOG_ForwardFormat\n"),
	    "tcp fd00::1:6514 @1");
	CHECK_STR(scan("mail.* /var/log/mail\n& @@relay\n"),
	    "tcp relay:514 @2");
	/* Not forwards: comments, files, users, directives, a bare @. */
	CHECK_STR(scan("#*.* @@old\n*.* /var/log/syslog\n*.* root\n"
		       "$ActionQueueType LinkedList\n*.* @\nfoo @@bar\n"),
	    "");
	/* A # after the action is a comment. */
	CHECK_STR(scan("*.* @@h1 # @@h2\n"), "tcp h1:514 @1");
}

static void
rainerscript(void)
{
	CHECK_STR(scan("*.* action(type=\"omfwd\" target=\"10.1.1.1\" "
		       "port=\"6514\" protocol=\"tcp\")\n"),
	    "tcp 10.1.1.1:6514 @1");
	/* Over several lines, names in any case, comments between. */
	CHECK_STR(scan("module(load=\"imuxsock\")\n"
		       "if $syslogseverity <= 4 then {\n"
		       "  Action(Type=\"omfwd\" # forward\n"
		       "    Target=\"log.corp\" /* c */ Protocol=\"udp\"\n"
		       "  )\n}\n"),
	    "udp log.corp:514 @3");
	CHECK_STR(scan("action(type=\"omrelp\" target=\"relp.corp\" "
		       "port=\"2514\")\n"),
	    "relp relp.corp:2514 @1");
	/* A list of targets: each one. */
	CHECK_STR(scan("action(type=\"omfwd\" target=[\"a.corp\", \"b.corp\"] "
		       "protocol=\"tcp\")\n"),
	    "tcp a.corp:514 @1; tcp b.corp:514 @1");
	/* Not forwards: other outputs, no target, commented, quoted. */
	CHECK_STR(scan(
		      "action(type=\"omfile\" file=\"/var/log/x\")\n"
		      "action(type=\"omfwd\")\n"
		      "# action(type=\"omfwd\" target=\"c1\")\n"
		      "/* action(type=\"omfwd\" target=\"c2\") */\n"
		      "template(name=\"t\" type=\"string\" "
		      "string=\"action(type=\\\"omfwd\\\" target=\\\"q\\\")\")\n"),
	    "");
	/* Unterminated: rsyslogd refuses it (and nothing is read past the
	 * end). */
	CHECK_STR(scan("action(type=\"omfwd\" target=\"x"), "");
	CHECK_STR(scan("action(type=\"omfwd\" target=\"x\""), "");
	CHECK_STR(scan("action(type=\"omfwd\" target=\"x\")"), "udp x:514 @1");
}

static int
stop(const struct tt_logfwd *t, void *arg)
{
	(void)t;
	(void)arg;
	return -ECANCELED;
}

static void
callback_stops(void)
{
	const char *text = "*.* @@a\n*.* @@b\n";

	CHECK_INT(tt_logfwd_rsyslog(text, strlen(text), stop, NULL),
	    -ECANCELED);
	/* A NUL inside the text is not its end. */
	CHECK_STR(scan("*.* @@a\n"), "tcp a:514 @1");
	{
		struct seen s = { .n = 0 };
		const char with_nul[] = "x\0y\n*.* @@b\n";

		CHECK_INT(tt_logfwd_rsyslog(with_nul, sizeof(with_nul) - 1,
			      record, &s),
		    0);
		CHECK_STR(s.text, "tcp b:514 @2");
	}
}

static void
upload_url(void)
{
	struct tt_logfwd t;

	CHECK_INT(tt_logfwd_url("https://log.corp:19532/upload", &t), 0);
	CHECK_STR(t.proto, "https");
	CHECK_STR(t.host, "log.corp");
	CHECK_STR(tt_logfwd_port(&t), "19532");
	CHECK_INT(tt_logfwd_url("http://[fd00::2]:8080", &t), 0);
	CHECK_STR(t.proto, "http");
	CHECK_STR(t.host, "fd00::2");
	CHECK_STR(t.port, "8080");
	CHECK_INT(tt_logfwd_url("10.0.0.7", &t), 0);
	CHECK_STR(t.host, "10.0.0.7");
	CHECK_STR(tt_logfwd_port(&t), "19532");
	CHECK_INT(tt_logfwd_url("https://", &t), -EINVAL);
	CHECK_INT(tt_logfwd_url("", &t), -EINVAL);
}

int
main(void)
{
	RUN(legacy_lines);
	RUN(rainerscript);
	RUN(callback_stops);
	RUN(upload_url);
	TEST_EXIT();
}
