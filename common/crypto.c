#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

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

char *
tt_base64url_encode(const uint8_t *in, size_t len)
{
	char *out = tt_base64_encode(in, len);
	size_t n;

	if (out == NULL)
		return NULL;
	for (n = 0; out[n] != '\0' && out[n] != '='; n++) {
		if (out[n] == '+')
			out[n] = '-';
		else if (out[n] == '/')
			out[n] = '_';
	}
	out[n] = '\0';
	return out;
}

int
tt_base64url_decode(const char *in, size_t inlen, uint8_t *out, size_t outsize)
{
	char *std;
	size_t n = inlen;
	int r;

	/* Padding is optional in base64url: drop it, then put back what
	 * standard base64 needs. */
	while (n > 0 && in[n - 1] == '=')
		n--;
	if (n == 0 || n % 4 == 1 || inlen - n > 2 || n > INT32_MAX / 2)
		return -EINVAL;
	if ((std = malloc(n + 3)) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];

		/* The standard alphabet's own characters are not base64url:
		 * a value mixing both is not what Key Vault writes. */
		if (c == '+' || c == '/' || c == '=') {
			free(std);
			return -EINVAL;
		}
		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		std[i] = c;
	}
	while (n % 4 != 0)
		std[n++] = '=';
	r = tt_base64_decode(std, n, out, outsize);
	free(std);
	return r;
}

bool
tt_key_is_p256(EVP_PKEY *key)
{
	char group[64];
	size_t len = 0;

	if (key == NULL || !EVP_PKEY_is_a(key, "EC"))
		return false;
	if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
		group, sizeof(group), &len) != 1) {
		ERR_clear_error();
		return false;
	}
	return TT_STREQ(group, "prime256v1") || TT_STREQ(group, "P-256");
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
	/* A signing key is Ed25519 (Key Vault keys never leave the vault);
	 * a trusted key may also be the EC P-256 key of an ES256 signature. */
	if (EVP_PKEY_id(key) != EVP_PKEY_ED25519 &&
	    (private_key || !tt_key_is_p256(key))) {
		tt_seterr(err, errlen,
		    private_key ? "'%s' is not an Ed25519 key" :
				  "'%s' is neither an Ed25519 nor an EC P-256 "
				  "public key",
		    path);
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

/* "p256:" and 16 bytes of SHA-256 of the DER SubjectPublicKeyInfo, what
 * `openssl pkey -pubin -outform DER | sha256sum` starts with. */
static int
p256_key_id(EVP_PKEY *key, char *out)
{
	uint8_t digest[TT_SHA256_LEN];
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(key, &der);

	if (n <= 0) {
		ERR_clear_error();
		return -EINVAL;
	}
	tt_sha256(der, (size_t)n, digest);
	OPENSSL_free(der);
	strlcpy(out, "p256:", TT_KEY_ID_MAX);
	tt_hex(digest, 16, out + 5);
	return 0;
}

int
tt_key_id(EVP_PKEY *key, char *out)
{
	uint8_t raw[32], digest[TT_SHA256_LEN];
	size_t len = sizeof(raw);

	if (tt_key_is_p256(key))
		return p256_key_id(key, out);
	if (EVP_PKEY_id(key) != EVP_PKEY_ED25519 ||
	    EVP_PKEY_get_raw_public_key(key, raw, &len) != 1) {
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

int
tt_es256_sign(EVP_PKEY *key, const uint8_t digest[TT_SHA256_LEN],
    uint8_t sig[TT_ES256_SIG_LEN])
{
	unsigned char der[160];
	const unsigned char *p = der;
	size_t derlen = sizeof(der);
	EVP_PKEY_CTX *ctx;
	ECDSA_SIG *es = NULL;
	int r = -EINVAL;

	if (!tt_key_is_p256(key))
		return -EINVAL;
	if ((ctx = EVP_PKEY_CTX_new(key, NULL)) == NULL)
		return -ENOMEM;
	if (EVP_PKEY_sign_init(ctx) == 1 &&
	    EVP_PKEY_sign(ctx, der, &derlen, digest, TT_SHA256_LEN) == 1 &&
	    (es = d2i_ECDSA_SIG(NULL, &p, (long)derlen)) != NULL &&
	    BN_bn2binpad(ECDSA_SIG_get0_r(es), sig, 32) == 32 &&
	    BN_bn2binpad(ECDSA_SIG_get0_s(es), sig + 32, 32) == 32)
		r = 0;
	ECDSA_SIG_free(es);
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return r;
}

int
tt_es256_verify(EVP_PKEY *key, const uint8_t digest[TT_SHA256_LEN],
    const uint8_t *sig, size_t siglen)
{
	BIGNUM *br = NULL, *bs = NULL;
	unsigned char *der = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	ECDSA_SIG *es;
	int n, r = -EBADMSG;

	if (siglen != TT_ES256_SIG_LEN || !tt_key_is_p256(key))
		return -EBADMSG;
	/* OpenSSL verifies the DER form; the tattoo keeps JOSE's r||s. */
	if ((es = ECDSA_SIG_new()) == NULL)
		return -ENOMEM;
	br = BN_bin2bn(sig, 32, NULL);
	bs = BN_bin2bn(sig + 32, 32, NULL);
	if (br == NULL || bs == NULL || ECDSA_SIG_set0(es, br, bs) != 1) {
		BN_free(br);
		BN_free(bs);
		ECDSA_SIG_free(es);
		ERR_clear_error();
		return -ENOMEM;
	}
	n = i2d_ECDSA_SIG(es, &der);
	if (n > 0 && (ctx = EVP_PKEY_CTX_new(key, NULL)) != NULL &&
	    EVP_PKEY_verify_init(ctx) == 1 &&
	    EVP_PKEY_verify(ctx, der, (size_t)n, digest, TT_SHA256_LEN) == 1)
		r = 0;
	EVP_PKEY_CTX_free(ctx);
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	ERR_clear_error();
	return r;
}

int
tt_sig_verify(EVP_PKEY *key, const char *alg,
    const uint8_t digest[TT_SHA256_LEN], const uint8_t *sig, size_t siglen)
{
	if (TT_STREQ(alg, "ed25519"))
		return EVP_PKEY_id(key) == EVP_PKEY_ED25519 ?
		    tt_ed25519_verify(key, digest, TT_SHA256_LEN, sig, siglen) :
		    -EBADMSG;
	if (TT_STREQ(alg, "ES256"))
		return tt_es256_verify(key, digest, sig, siglen);
	return -EBADMSG;
}
