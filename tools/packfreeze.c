/*
 * packfreeze PACK.json OUT: precompiles a rule pack for the binary
 * (hardening/pack_frozen.c), with the agent's own parser, so that what is
 * embedded is exactly what tt_pack_parse makes of the pack.  Run by the
 * build; links every library object except the embedded data, which it
 * is making, hence the empty table below.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "buf.h"
#include "embedded.h"
#include "engine.h"
#include "fileio.h"
#include "tt.h"

const struct tt_embedded_file tt_embedded_files[] = { { NULL, NULL, 0,
	NULL } };

int
main(int argc, char **argv)
{
	struct tt_pack *pack = NULL;
	struct tt_buf text, out;
	char err[1024];
	FILE *f;
	int fd, r;

	if (argc != 3) {
		fprintf(stderr, "usage: packfreeze PACK.json OUT\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDONLY | O_CLOEXEC)) < 0 ||
	    tt_read_fd(fd, TT_PACK_MAX_BYTES, &text) < 0) {
		fprintf(stderr, "packfreeze: cannot read '%s'\n", argv[1]);
		return 1;
	}
	close(fd);
	r = tt_pack_parse(argv[1], text.data, text.len, &pack, err,
	    sizeof(err));
	tt_buf_free(&text);
	if (r < 0) {
		fprintf(stderr, "packfreeze: %s\n", err);
		return 1;
	}
	tt_buf_init(&out, (size_t)64 * 1024 * 1024);
	if ((r = tt_pack_drop_json(pack, true)) < 0 ||
	    (r = tt_pack_freeze(pack, &out)) < 0) {
		fprintf(stderr, "packfreeze: %s: %s\n", argv[1], tt_strerror(r));
		return 1;
	}
	tt_pack_free(pack);
	if ((f = fopen(argv[2], "wb")) == NULL ||
	    fwrite(out.data, 1, out.len, f) != out.len || fclose(f) != 0) {
		fprintf(stderr, "packfreeze: cannot write '%s'\n", argv[2]);
		unlink(argv[2]);
		return 1;
	}
	tt_buf_free(&out);
	return 0;
}
