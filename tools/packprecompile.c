/*
 * packprecompile PACK.json OUT.pack OUT.head: precompiles a rule pack for the
 * binary (hardening/pack_precompiled.c), with the agent's own parser, so that
 * what is embedded is exactly what tt_pack_parse makes of the pack; and
 * writes its head, {"pack": NAME, "applies": {...}}, by which an audit
 * chooses its pack without reading any pack (the kernel maps a large
 * folio of the binary for each one read, a quarter megabyte each).  Run by
 * the build; links every library object except the embedded data, which
 * it is making, hence the empty table below.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "embedded.h"
#include "rules.h"
#include "fileio.h"
#include "tt.h"

const struct tt_embedded_file tt_embedded_files[] = { { NULL, NULL, 0, NULL } };

static int
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		(void)fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

static json_object *
strings(const char **v, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; a != NULL && i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

/* What packset.c's wanted() reads of a pack: its name and where it
 * applies. */
static char *
head_of(const struct tt_pack *pack)
{
	json_object *o = json_object_new_object(), *ap;
	char *text = NULL;

	if (o == NULL || (ap = json_object_new_object()) == NULL) {
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "pack", json_object_new_string(pack->name));
	if (pack->applies.nids > 0)
		json_object_object_add(ap, "id",
		    strings(pack->applies.ids, pack->applies.nids));
	if (pack->applies.nversions > 0)
		json_object_object_add(ap, "version_id",
		    strings(pack->applies.versions, pack->applies.nversions));
	json_object_object_add(o, "applies", ap);
	text = strdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return text;
}

int
main(int argc, char **argv)
{
	struct tt_pack *pack = NULL;
	struct tt_buf text, out;
	char err[1024], *head;
	int fd, r;

	if (argc != 4) {
		fprintf(stderr,
		    "usage: packprecompile PACK.json OUT.pack OUT.head\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDONLY | O_CLOEXEC)) < 0 ||
	    tt_read_fd(fd, TT_PACK_MAX_BYTES, &text) < 0) {
		fprintf(stderr, "packprecompile: cannot read '%s'\n", argv[1]);
		return 1;
	}
	close(fd);
	r = tt_pack_parse(argv[1], text.data, text.len, &pack, err,
	    sizeof(err));
	tt_buf_free(&text);
	if (r < 0) {
		fprintf(stderr, "packprecompile: %s\n", err);
		return 1;
	}
	tt_buf_init(&out, (size_t)64 * 1024 * 1024);
	if ((r = tt_pack_drop_json(pack, true)) < 0 ||
	    (r = tt_pack_precompile(pack, &out)) < 0) {
		fprintf(stderr, "packprecompile: %s: %s\n", argv[1],
		    tt_strerror(r));
		return 1;
	}
	if (write_file(argv[2], out.data, out.len) < 0 ||
	    (head = head_of(pack)) == NULL ||
	    write_file(argv[3], head, strlen(head)) < 0) {
		fprintf(stderr, "packprecompile: cannot write '%s' and '%s'\n",
		    argv[2], argv[3]);
		unlink(argv[2]);
		unlink(argv[3]);
		return 1;
	}
	free(head);
	tt_pack_free(pack);
	tt_buf_free(&out);
	return 0;
}
