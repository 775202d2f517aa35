#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "ca_store.h"
#include "curl_dl.h"
#include "http.h"
#include "json.h"
#include "tt.h"

void
tt_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct tt_buf *b = userp;
	size_t n = size * nmemb;

	/* Returning less than n makes curl abort with CURLE_WRITE_ERROR. */
	if (tt_buf_append(b, data, n) < 0)
		return 0;
	return n;
}

static size_t
on_header(char *data, size_t size, size_t nmemb, void *userp)
{
	struct tt_http_response *resp = userp;
	size_t n = size * nmemb;
	static const char name[] = "retry-after:";
	char value[32];
	const char *errstr;
	size_t vl;
	long long secs;

	if (n <= sizeof(name) - 1 ||
	    strncasecmp(data, name, sizeof(name) - 1) != 0)
		return n;
	data += sizeof(name) - 1;
	vl = n - (sizeof(name) - 1);
	while (vl > 0 && (*data == ' ' || *data == '\t')) {
		data++;
		vl--;
	}
	while (vl > 0 &&
	    (data[vl - 1] == '\r' || data[vl - 1] == '\n' ||
		data[vl - 1] == ' '))
		vl--;
	if (vl == 0 || vl >= sizeof(value))
		return n;
	memcpy(value, data, vl);
	value[vl] = '\0';
	/* Only delta-seconds; an HTTP date falls back to our own backoff. */
	secs = strtonum(value, 0, 86400, &errstr);
	if (errstr == NULL)
		resp->retry_after_s = (long)secs;
	return n;
}

static int
map_curl_error(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT: return -ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY: return -EHOSTUNREACH;
	case CURLE_OPERATION_TIMEDOUT: return -ETIMEDOUT;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED: return -EFBIG;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_USE_SSL_FAILED:
	case CURLE_WEIRD_SERVER_REPLY: return -EPROTO;
	/* The connection broke: unlike a refused certificate, worth
	 * another try. */
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING: return -ECONNRESET;
	default: return -EIO;
	}
}

int
tt_http_do(const struct tt_http_request *req, struct tt_http_response *resp)
{
	struct curl_slist *hdrs = NULL, *tmp;
	char errbuf[CURL_ERROR_SIZE] = "";
	const struct tt_curl_api *cu;
	const char *ca_dir;
	CURL *c = NULL;
	CURLcode cc;
	int r = 0;

	memset(resp, 0, sizeof(*resp));
	resp->retry_after_s = -1;
	tt_buf_init(&resp->body,
	    req->max_response ? req->max_response : (size_t)1024 * 1024);
	if ((cu = tt_curl(resp->error, sizeof(resp->error))) == NULL)
		return -ENOSYS;
	if ((c = cu->easy_init()) == NULL)
		return -ENOMEM;
	for (const char *const *h = req->headers; h != NULL && *h != NULL;
	     h++) {
		if ((tmp = cu->slist_append(hdrs, *h)) == NULL) {
			r = -ENOMEM;
			goto out;
		}
		hdrs = tmp;
	}
	/* curl adds "Expect: 100-continue" to large POSTs; services here do
	 * not want the extra round trip. */
	if ((tmp = cu->slist_append(hdrs, "Expect:")) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	hdrs = tmp;

	cu->easy_setopt(c, CURLOPT_URL, req->url);
	cu->easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
	cu->easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(c, CURLOPT_USERAGENT, "tattoo/" TT_VERSION);
	cu->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    req->connect_timeout_ms ? req->connect_timeout_ms : 2000L);
	cu->easy_setopt(c, CURLOPT_TIMEOUT_MS,
	    req->timeout_ms ? req->timeout_ms : 10000L);
	cu->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	cu->easy_setopt(c, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	cu->easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	cu->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	cu->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	ca_dir =
	    req->ca_dir != NULL && req->ca_dir[0] != '\0' ? req->ca_dir : NULL;
	if (req->ca_file != NULL && req->ca_file[0] != '\0') {
		cu->easy_setopt(c, CURLOPT_CAINFO, req->ca_file);
		if (ca_dir != NULL)
			cu->easy_setopt(c, CURLOPT_CAPATH, ca_dir);
	} else if (ca_dir != NULL || (ca_dir = tt_system_ca_dir()) != NULL) {
		/* The same trust as the bundle, read issuer by issuer. */
		cu->easy_setopt(c, CURLOPT_CAINFO, (const char *)NULL);
		cu->easy_setopt(c, CURLOPT_CAPATH, ca_dir);
	}
	if (req->client_cert != NULL && req->client_cert[0] != '\0')
		cu->easy_setopt(c, CURLOPT_SSLCERT, req->client_cert);
	if (req->client_key != NULL && req->client_key[0] != '\0')
		cu->easy_setopt(c, CURLOPT_SSLKEY, req->client_key);
	if (req->no_proxy)
		cu->easy_setopt(c, CURLOPT_NOPROXY, "*");
	if (req->body != NULL) {
		cu->easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
		cu->easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)req->body_len);
	}
	/* Refuses an announced Content-Length over the cap before reading;
	 * on_body enforces it on what actually arrives. */
	cu->easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)resp->body.max);
	cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	cu->easy_setopt(c, CURLOPT_WRITEDATA, &resp->body);
	cu->easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	cu->easy_setopt(c, CURLOPT_HEADERDATA, resp);

	cc = cu->easy_perform(c);
	if (cc != CURLE_OK) {
		strlcpy(resp->error, errbuf[0] ? errbuf : cu->easy_strerror(cc),
		    sizeof(resp->error));
		r = map_curl_error(cc);
		goto out;
	}
	cu->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	if (resp->body.data == NULL)
		r = tt_buf_append(&resp->body, "", 0);
out:
	cu->slist_free_all(hdrs);
	cu->easy_cleanup(c);
	return r;
}

void
tt_http_response_free(struct tt_http_response *resp)
{
	if (resp == NULL)
		return;
	tt_buf_free_secret(&resp->body);
}

void
tt_http_azure_error(const struct tt_buf *body, char *out, size_t outlen)
{
	json_object *o, *e = NULL, *c = NULL, *m = NULL;
	char why[64];

	out[0] = '\0';
	if ((o = tt_json_parse(body->data ? body->data : "", body->len, why,
		 sizeof(why))) == NULL)
		return;
	if (json_object_object_get_ex(o, "error", &e) &&
	    json_object_is_type(e, json_type_object)) {
		json_object_object_get_ex(e, "code", &c);
		json_object_object_get_ex(e, "message", &m);
	}
	if (c != NULL || m != NULL)
		snprintf(out, outlen, ": %.64s%s%.200s",
		    c ? json_object_get_string(c) : "", c && m ? ": " : "",
		    m ? json_object_get_string(m) : "");
	json_object_put(o);
}
