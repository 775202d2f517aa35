#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include <bsd/string.h>

#define TT_ARCHIVE_DL_SELF
#include "archive_dl.h"

struct tt_archive_fns tt_archive_fns;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool loaded;
static char load_error[256];

static void
load(void)
{
	/* The soname of libarchive 3 on Debian, Ubuntu and RHEL. */
	void *h = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);

	if (h == NULL) {
		snprintf(load_error, sizeof(load_error),
		    "cannot load libarchive.so.13: %s", dlerror());
		return;
	}
#define SYM(name)                                                              \
	do {                                                                   \
		*(void **)&tt_archive_fns.name = dlsym(h, #name);              \
		if (tt_archive_fns.name == NULL) {                             \
			snprintf(load_error, sizeof(load_error),               \
			    "libarchive lacks %s", #name);                     \
			return;                                                \
		}                                                              \
	} while (0)
	SYM(archive_bzlib_version);
	SYM(archive_entry_filetype);
	SYM(archive_entry_hardlink);
	SYM(archive_entry_is_encrypted);
	SYM(archive_entry_pathname);
	SYM(archive_entry_pathname_utf8);
	SYM(archive_entry_size);
	SYM(archive_entry_size_is_set);
	SYM(archive_error_string);
	SYM(archive_filter_bytes);
	SYM(archive_filter_code);
	SYM(archive_filter_count);
	SYM(archive_filter_name);
	SYM(archive_format);
	SYM(archive_liblzma_version);
	SYM(archive_libzstd_version);
	SYM(archive_read_data);
	SYM(archive_read_free);
	SYM(archive_read_new);
	SYM(archive_read_next_header);
	SYM(archive_read_open1);
	SYM(archive_read_set_callback_data);
	SYM(archive_read_set_read_callback);
	SYM(archive_read_support_filter_bzip2);
	SYM(archive_read_support_filter_gzip);
	SYM(archive_read_support_filter_lz4);
	SYM(archive_read_support_filter_lzma);
	SYM(archive_read_support_filter_xz);
	SYM(archive_read_support_filter_zstd);
	SYM(archive_read_support_format_ar);
	SYM(archive_read_support_format_cpio);
	SYM(archive_read_support_format_gnutar);
	SYM(archive_read_support_format_raw);
	SYM(archive_read_support_format_tar);
	SYM(archive_read_support_format_zip_streamable);
	SYM(archive_set_error);
	SYM(archive_zlib_version);
#undef SYM
	loaded = true;
}

int
tt_archive_dl(char *err, size_t errlen)
{
	pthread_once(&once, load);
	if (loaded)
		return 0;
	if (err != NULL && errlen > 0)
		strlcpy(err, load_error, errlen);
	return -ENOSYS;
}
