/*
 * Which certificate store TLS trusts when `ca_file` is not set.  libcurl's
 * default on Debian and Ubuntu is the bundle /etc/ssl/certs/
 * ca-certificates.crt: OpenSSL 3 parses its 140-odd certificates for every
 * connection, 265 million instructions, five times all the rest of a
 * report round.  The same trust store also exists as a directory of
 * subject-hash links (update-ca-certificates, RHEL's directory-hash),
 * from which OpenSSL reads only the issuer it needs.
 */
#ifndef TT_CA_STORE_H
#define TT_CA_STORE_H

#include <stdbool.h>

/* The first of the system's hashed CA directories that holds a hash link,
 * or NULL (libcurl's own default then applies).  Looked up once. */
const char *tt_system_ca_dir(void);

/* Whether dir holds at least one OpenSSL subject-hash link, a name of
 * eight hex digits, a dot and a number ("002c0b4f.0"). */
bool tt_ca_dir_is_hashed(const char *dir);

#endif
