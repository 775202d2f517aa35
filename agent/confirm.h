/*
 * The explicit yes a command needs before it changes the running system,
 * as `waagent -deprovision` asks for one: `harden` and `scrub --apply`
 * without --root act on "/", the machine the person is logged in to, not
 * an image.  --force says yes; a terminal is asked; with no terminal (a
 * pipeline, a timer, cloud-init) the command is refused before it reads
 * or changes anything, and the message names --force.
 */
#ifndef TT_CONFIRM_H
#define TT_CONFIRM_H

#include <stdbool.h>

#include "cli.h"

/* True when the command would act on the running system: no --root, or
 * a --root that is "/" itself (a bind mount of it included). */
bool tt_ctx_live(const struct tt_ctx *ctx);

/*
 * Returns 0 when the change of the running system may go ahead: force,
 * or "y"/"yes" typed on the terminal (stdin and stderr both ttys) after
 * cmd's question, which says what will happen.  Otherwise logs why
 * (naming --force) and returns TT_EXIT_USAGE.
 */
int tt_confirm_live(const char *cmd, const char *what, bool force);

#endif
