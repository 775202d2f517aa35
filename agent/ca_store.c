#include <ctype.h>
#include <dirent.h>
#include <pthread.h>

#include "ca_store.h"
#include "tt.h"

/* Debian and Ubuntu (update-ca-certificates), Fedora and RHEL 9
 * (update-ca-trust's directory-hash), SUSE. */
static const char *const candidates[] = {
	"/etc/ssl/certs",
	"/etc/pki/ca-trust/extracted/pem/directory-hash",
	"/var/lib/ca-certificates/openssl",
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *found;

static bool
is_hash_name(const char *name)
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (!isxdigit((unsigned char)name[i]))
			return false;
	if (name[i++] != '.' || !isdigit((unsigned char)name[i]))
		return false;
	for (; name[i] != '\0'; i++)
		if (!isdigit((unsigned char)name[i]))
			return false;
	return true;
}

bool
tt_ca_dir_is_hashed(const char *dir)
{
	struct dirent *de;
	bool hashed = false;
	DIR *d = opendir(dir);

	if (d == NULL)
		return false;
	while (!hashed && (de = readdir(d)) != NULL)
		hashed = is_hash_name(de->d_name);
	closedir(d);
	return hashed;
}

static void
look(void)
{
	for (size_t i = 0; found == NULL && i < TT_ARRAY_SIZE(candidates); i++)
		if (tt_ca_dir_is_hashed(candidates[i]))
			found = candidates[i];
}

const char *
tt_system_ca_dir(void)
{
	pthread_once(&once, look);
	return found;
}
