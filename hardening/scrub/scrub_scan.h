/*
 * Scanning one file's bytes for secrets: every byte once through the
 * keyword automaton (scrub_ac.h), validators (scrub_detect.h) only around
 * hits.  The file is read in chunks into one buffer that keeps the bytes a
 * pending hit may still need, so a secret across a read boundary, on a
 * 2 MB line or at either end of the file is found like any other, and
 * memory stays at one chunk plus the validators' window per scan.
 */
#ifndef TT_SCRUB_SCAN_H
#define TT_SCRUB_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scrub_ac.h"
#include "scrub_catalog.h"

#define TT_SCAN_CHUNK ((size_t)1 << 20)
#define TT_SCAN_PREVIEW 4

/* What a secret finding carries: never the secret itself. */
struct tt_scan_finding {
	uint64_t offset; /* of the secret's first byte in the file */
	uint64_t line; /* 1-based */
	size_t detector; /* index into the catalogue */
	char preview[TT_SCAN_PREVIEW + 1]; /* at most its first 4 bytes */
	char fingerprint[65]; /* SHA-256 of the secret, hex */
};

typedef void (*tt_scan_emit_fn)(void *arg, const struct tt_scan_finding *f);

/* The catalogue's detectors compiled for scanning; shared read-only by
 * every thread. */
struct tt_scanner {
	const struct tt_scrub_catalog *cat;
	struct tt_ac ac;
	uint32_t *pat_detector; /* automaton pattern id -> detector */
	uint32_t *pat_keyword; /* -> keyword index in that detector */
	size_t chunk; /* read size; tests make it small */
};

/* 0, -E2BIG (too many keyword bytes) or -ENOMEM. */
int tt_scanner_init(struct tt_scanner *s, const struct tt_scrub_catalog *cat);
void tt_scanner_free(struct tt_scanner *s);

enum tt_scan_result {
	TT_SCAN_DONE = 0,
	/* An archive or a compressed stream (tt_archive_sniff): not
	 * scanned as bytes, the caller hands it to scrub_archive.h. */
	TT_SCAN_ARCHIVE = 1,
};

/*
 * Reads fd to its end and scans it, calling emit for each secret in file
 * order.  *ret_bytes gets the bytes read.  Returns TT_SCAN_DONE,
 * TT_SCAN_ARCHIVE (nothing scanned; the descriptor has moved), or a
 * negative errno from read(2) or malloc.
 */
int tt_scan_fd(const struct tt_scanner *s, int fd, tt_scan_emit_fn emit,
    void *arg, uint64_t *ret_bytes);

/* The same over bytes in memory (tests and the fuzz harness). */
int tt_scan_mem(const struct tt_scanner *s, const uint8_t *data, size_t len,
    tt_scan_emit_fn emit, void *arg);

/* Reads up to len bytes into buf: their count, 0 at the end, or a
 * negative errno. */
typedef ssize_t (*tt_scan_read_fn)(void *arg, uint8_t *buf, size_t len);

/*
 * The same over a stream (an archive's member): every byte as it comes,
 * never sniffed for archives (the caller did).  hint: the size the
 * stream says it has (0: unknown), which only sizes the buffer.  Returns
 * TT_SCAN_DONE or the reader's or malloc's negative errno.
 */
int tt_scan_stream(const struct tt_scanner *s, tt_scan_read_fn rd, void *rdarg,
    uint64_t hint, tt_scan_emit_fn emit, void *arg, uint64_t *ret_bytes);

/* Fills f's preview and fingerprint from the secret's bytes. */
void
tt_scan_describe(struct tt_scan_finding *f, const uint8_t *secret, size_t len);

#endif
