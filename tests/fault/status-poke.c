/*
 * status-poke STATE_DIR SECTION JSON: one tt_status_update of status.json
 * in the host directory STATE_DIR, as audit, report and scrub make them.
 * The fault-injection tests run it under tests/fault/faultshim.c until a
 * command that writes status.json lands on this branch.  Exit 0, 3 for
 * bad arguments, 4 when the update failed (the reason on stderr).
 */
#include "canon.h"
#include "json.h"
#include "fileio.h"
#include "status.h"
#include "tt.h"

int
main(int argc, char **argv)
{
	json_object *section;
	char why[256];
	int r;

	if (argc != 4) {
		fprintf(stderr, "usage: status-poke STATE_DIR SECTION JSON\n");
		return 2;
	}
	section = tt_json_parse(argv[3], strlen(argv[3]), why, sizeof(why));
	if (section == NULL) {
		fprintf(stderr, "status-poke: %s\n", why);
		return 3;
	}
	r = tt_status_update(NULL, argv[1], argv[2], section);
	if (r < 0) {
		fprintf(stderr, "status-poke: error: cannot update "
		    "'%s/status.json': %s\n", argv[1], tt_strerror(r));
		return 4;
	}
	return 0;
}
