/*
 * libarchive, loaded when the first archive is met rather than at start:
 * libarchive and what it pulls in (libxml2, ICU, libstdc++, nettle, acl,
 * the compressors) put 4 MB in the resident memory of every command, and
 * only scrub, the initramfs listing and the dnf metadata read archives
 * (audit went from 9.0 to 13.3 MB when it was linked).
 *
 * Its users (hardening/scrub/scrub_archive.c, common/unpack.c) include
 * this after <archive.h>: each libarchive function they call is a macro
 * for the loaded pointer of the same type, so the code reads as plain
 * libarchive.  Call tt_archive_dl() first.
 */
#ifndef TT_ARCHIVE_DL_H
#define TT_ARCHIVE_DL_H

#include <stddef.h>

#include <archive.h>
#include <archive_entry.h>

/* The functions its users call, each a pointer of its own type. */
struct tt_archive_fns {
	__typeof__(archive_bzlib_version) *archive_bzlib_version;
	__typeof__(archive_entry_filetype) *archive_entry_filetype;
	__typeof__(archive_entry_hardlink) *archive_entry_hardlink;
	__typeof__(archive_entry_is_encrypted) *archive_entry_is_encrypted;
	__typeof__(archive_entry_pathname) *archive_entry_pathname;
	__typeof__(archive_entry_pathname_utf8) *archive_entry_pathname_utf8;
	__typeof__(archive_entry_size) *archive_entry_size;
	__typeof__(archive_entry_size_is_set) *archive_entry_size_is_set;
	__typeof__(archive_error_string) *archive_error_string;
	__typeof__(archive_filter_bytes) *archive_filter_bytes;
	__typeof__(archive_filter_code) *archive_filter_code;
	__typeof__(archive_filter_count) *archive_filter_count;
	__typeof__(archive_filter_name) *archive_filter_name;
	__typeof__(archive_format) *archive_format;
	__typeof__(archive_liblzma_version) *archive_liblzma_version;
	__typeof__(archive_libzstd_version) *archive_libzstd_version;
	__typeof__(archive_read_data) *archive_read_data;
	__typeof__(archive_read_free) *archive_read_free;
	__typeof__(archive_read_new) *archive_read_new;
	__typeof__(archive_read_next_header) *archive_read_next_header;
	__typeof__(archive_read_open1) *archive_read_open1;
	__typeof__(archive_read_set_callback_data)
	    *archive_read_set_callback_data;
	__typeof__(archive_read_set_read_callback)
	    *archive_read_set_read_callback;
	__typeof__(archive_read_support_filter_bzip2)
	    *archive_read_support_filter_bzip2;
	__typeof__(archive_read_support_filter_gzip)
	    *archive_read_support_filter_gzip;
	__typeof__(archive_read_support_filter_lz4)
	    *archive_read_support_filter_lz4;
	__typeof__(archive_read_support_filter_lzma)
	    *archive_read_support_filter_lzma;
	__typeof__(archive_read_support_filter_xz)
	    *archive_read_support_filter_xz;
	__typeof__(archive_read_support_filter_zstd)
	    *archive_read_support_filter_zstd;
	__typeof__(archive_read_support_format_ar)
	    *archive_read_support_format_ar;
	__typeof__(archive_read_support_format_cpio)
	    *archive_read_support_format_cpio;
	__typeof__(archive_read_support_format_gnutar)
	    *archive_read_support_format_gnutar;
	__typeof__(archive_read_support_format_raw)
	    *archive_read_support_format_raw;
	__typeof__(archive_read_support_format_tar)
	    *archive_read_support_format_tar;
	__typeof__(archive_read_support_format_zip_streamable)
	    *archive_read_support_format_zip_streamable;
	__typeof__(archive_set_error) *archive_set_error;
	__typeof__(archive_zlib_version) *archive_zlib_version;
};

extern struct tt_archive_fns tt_archive_fns;

/*
 * Loads libarchive (once, thread-safe): 0, or -ENOSYS with the reason in
 * err (the library or one of its functions is missing).
 */
int tt_archive_dl(char *err, size_t errlen);

#ifndef TT_ARCHIVE_DL_SELF
#define archive_bzlib_version (*tt_archive_fns.archive_bzlib_version)
#define archive_entry_filetype (*tt_archive_fns.archive_entry_filetype)
#define archive_entry_hardlink (*tt_archive_fns.archive_entry_hardlink)
#define archive_entry_is_encrypted (*tt_archive_fns.archive_entry_is_encrypted)
#define archive_entry_pathname (*tt_archive_fns.archive_entry_pathname)
#define archive_entry_pathname_utf8                                            \
	(*tt_archive_fns.archive_entry_pathname_utf8)
#define archive_entry_size (*tt_archive_fns.archive_entry_size)
#define archive_entry_size_is_set (*tt_archive_fns.archive_entry_size_is_set)
#define archive_error_string (*tt_archive_fns.archive_error_string)
#define archive_filter_bytes (*tt_archive_fns.archive_filter_bytes)
#define archive_filter_code (*tt_archive_fns.archive_filter_code)
#define archive_filter_count (*tt_archive_fns.archive_filter_count)
#define archive_filter_name (*tt_archive_fns.archive_filter_name)
#define archive_format (*tt_archive_fns.archive_format)
#define archive_liblzma_version (*tt_archive_fns.archive_liblzma_version)
#define archive_libzstd_version (*tt_archive_fns.archive_libzstd_version)
#define archive_read_data (*tt_archive_fns.archive_read_data)
#define archive_read_free (*tt_archive_fns.archive_read_free)
#define archive_read_new (*tt_archive_fns.archive_read_new)
#define archive_read_next_header (*tt_archive_fns.archive_read_next_header)
#define archive_read_open1 (*tt_archive_fns.archive_read_open1)
#define archive_read_set_callback_data                                         \
	(*tt_archive_fns.archive_read_set_callback_data)
#define archive_read_set_read_callback                                         \
	(*tt_archive_fns.archive_read_set_read_callback)
#define archive_read_support_filter_bzip2                                      \
	(*tt_archive_fns.archive_read_support_filter_bzip2)
#define archive_read_support_filter_gzip                                       \
	(*tt_archive_fns.archive_read_support_filter_gzip)
#define archive_read_support_filter_lz4                                        \
	(*tt_archive_fns.archive_read_support_filter_lz4)
#define archive_read_support_filter_lzma                                       \
	(*tt_archive_fns.archive_read_support_filter_lzma)
#define archive_read_support_filter_xz                                         \
	(*tt_archive_fns.archive_read_support_filter_xz)
#define archive_read_support_filter_zstd                                       \
	(*tt_archive_fns.archive_read_support_filter_zstd)
#define archive_read_support_format_ar                                         \
	(*tt_archive_fns.archive_read_support_format_ar)
#define archive_read_support_format_cpio                                       \
	(*tt_archive_fns.archive_read_support_format_cpio)
#define archive_read_support_format_gnutar                                     \
	(*tt_archive_fns.archive_read_support_format_gnutar)
#define archive_read_support_format_raw                                        \
	(*tt_archive_fns.archive_read_support_format_raw)
#define archive_read_support_format_tar                                        \
	(*tt_archive_fns.archive_read_support_format_tar)
#define archive_read_support_format_zip_streamable                             \
	(*tt_archive_fns.archive_read_support_format_zip_streamable)
#define archive_set_error (*tt_archive_fns.archive_set_error)
#define archive_zlib_version (*tt_archive_fns.archive_zlib_version)
#endif

#endif
