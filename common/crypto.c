#include <openssl/err.h>
#include <openssl/pem.h>

#include <fcntl.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "fileio.h"
#include "log.h"
#include "tt.h"

void
tt_sha256(const void *data, size_t len, uint8_t out[TT_SHA256_LEN])
{
	unsigned int n = TT_SHA256_LEN;

	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

void
tt_hex(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

char *
tt_base64_encode(const uint8_t *in, size_t len)
{
	char *out;

	if (len > INT32_MAX / 2)
		return NULL;
	out = malloc(4 * ((len + 2) / 3) + 1);
	if (out == NULL)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	return out;
}

int
tt_base64_decode(const char *in, size_t inlen, uint8_t *out, size_t outsize)
{
	uint8_t *tmp;
	int n, pad = 0;

	if (inlen == 0 || inlen % 4 != 0 || inlen > INT32_MAX / 2)
		return -EINVAL;
	for (size_t i = 0; i < inlen; i++) {
		char c = in[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			(c >= '0' && c <= '9') || c == '+' || c == '/' ||
			(c == '=' && i >= inlen - 2)))
			return -EINVAL;
	}
	if (in[inlen - 1] == '=')
		pad++;
	if (in[inlen - 2] == '=')
		pad++;
	if (in[inlen - 2] == '=' && in[inlen - 1] != '=')
		return -EINVAL;
	tmp = malloc(inlen / 4 * 3);
	if (tmp == NULL)
		return -ENOMEM;
	n = EVP_DecodeBlock(tmp, (const unsigned char *)in, (int)inlen);
	if (n < 0) {
		free(tmp);
		return -EINVAL;
	}
	n -= pad;
	if ((size_t)n > outsize) {
		free(tmp);
		return -E2BIG;
	}
	memcpy(out, tmp, (size_t)n);
	free(tmp);
	return n;
}

int
tt_key_load(const char *path, bool private_key, EVP_PKEY **ret, char *err,
    size_t errlen)
{
	struct tt_buf pem;
	EVP_PKEY *key = NULL;
	BIO *bio;
	int r;

	if (private_key) {
		r = tt_read_file(NULL, path, (size_t)64 * 1024, &pem);
	} else {
		int fd = tt_open_regular(NULL, path);

		if (fd < 0) {
			r = fd;
		} else {
			r = tt_check_secure_file(fd, path, err, errlen);
			if (r < 0) {
				close(fd);
				return r;
			}
			r = tt_read_fd(fd, (size_t)64 * 1024, &pem);
			close(fd);
		}
	}
	if (r < 0) {
		tt_seterr(err, errlen, "cannot read key '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	bio = BIO_new_mem_buf(pem.data, (int)pem.len);
	if (bio == NULL) {
		tt_buf_free_secret(&pem);
		return -ENOMEM;
	}
	if (private_key)
		key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	else
		key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	tt_buf_free_secret(&pem);
	ERR_clear_error();
	if (key == NULL) {
		tt_seterr(err, errlen, "'%s' is not a PEM %s key", path,
		    private_key ? "private" : "public");
		return -EINVAL;
	}
	if (EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
		tt_seterr(err, errlen, "'%s' is not an Ed25519 key", path);
		EVP_PKEY_free(key);
		return -EINVAL;
	}
	*ret = key;
	return 0;
}

int
tt_keyring_add_file(struct tt_keyring *kr, const char *path, char *err,
    size_t errlen)
{
	EVP_PKEY *key;
	int r;

	if (kr->n == TT_KEYRING_MAX) {
		tt_seterr(err, errlen, "more than %d trusted keys ('%s')",
		    TT_KEYRING_MAX, path);
		return -E2BIG;
	}
	if ((r = tt_key_load(path, false, &key, err, errlen)) < 0)
		return r;
	kr->key[kr->n++] = key;
	return 0;
}

int
tt_keyring_add_list(struct tt_keyring *kr, const char *list, char *err,
    size_t errlen)
{
	char path[PATH_MAX];
	const char *p = list;
	int r;

	for (;;) {
		size_t n;

		p += strspn(p, " \t,");
		if (*p == '\0')
			return 0;
		n = strcspn(p, " \t,");
		if (n >= sizeof(path)) {
			tt_seterr(err, errlen,
			    "trusted_keys: a path is longer "
			    "than %d bytes",
			    PATH_MAX - 1);
			return -ENAMETOOLONG;
		}
		memcpy(path, p, n);
		path[n] = '\0';
		p += n;
		if (path[0] != '/') {
			tt_seterr(err, errlen,
			    "trusted_keys: '%s' is not an absolute path (the "
			    "keys are files on the host)",
			    path);
			return -EINVAL;
		}
		if ((r = tt_keyring_add_file(kr, path, err, errlen)) < 0)
			return r;
	}
}

void
tt_keyring_free(struct tt_keyring *kr)
{
	for (size_t i = 0; i < kr->n; i++)
		EVP_PKEY_free(kr->key[i]);
	kr->n = 0;
}

int
tt_key_id(EVP_PKEY *key, char *out)
{
	uint8_t raw[32], digest[TT_SHA256_LEN];
	size_t len = sizeof(raw);

	if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1) {
		ERR_clear_error();
		return -EINVAL;
	}
	tt_sha256(raw, len, digest);
	strlcpy(out, "ed25519:", TT_KEY_ID_MAX);
	tt_hex(digest, 16, out + 8);
	return 0;
}

int
tt_ed25519_sign(EVP_PKEY *key, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t siglen = 64;
	int r = 0;

	if (ctx == NULL)
		return -ENOMEM;
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, msg, len) != 1 || siglen != 64)
		r = -EINVAL;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return r;
}

int
tt_ed25519_verify(EVP_PKEY *key, const uint8_t *msg, size_t len,
    const uint8_t *sig, size_t siglen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int r = -EBADMSG;

	if (ctx == NULL)
		return -ENOMEM;
	if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
	    EVP_DigestVerify(ctx, sig, siglen, msg, len) == 1)
		r = 0;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return r;
}
