/*
 * Remediation actions, named by rules' "fix": small typed operations that
 * add changes to a plan (plan.h) from the image's current state.  They
 * never touch the image themselves: `harden` journals and applies a plan.
 */
#ifndef TT_ACTIONS_H
#define TT_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "plan.h"

struct tt_action {
	const char *name;
	const char *const *required; /* NULL-terminated param names */
	const char *const *optional;
	/* Changes packages: only with --allow-package-changes. */
	bool package_change;
	int (*plan)(struct tt_plan *plan, const char *rule, json_object *params,
	    char *err, size_t errlen);
};

/* The action called name, or NULL. */
const struct tt_action *tt_action_find(const char *name);

/* The table, ended by a NULL name; for listing and validation. */
extern const struct tt_action tt_actions[];

/* Shared by the action files: a string parameter or NULL. */
const char *tt_action_param(json_object *params, const char *name);

/* The actions, one family per file. */
int
tt_act_sshd_set(struct tt_plan *, const char *, json_object *, char *, size_t);
int tt_act_sysctl_set(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_modprobe_disable(struct tt_plan *, const char *, json_object *,
    char *, size_t);
int tt_act_login_defs_set(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_pwquality_set(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_faillock_set(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_pwhistory_set(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_journald_set(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_rsyslog_set(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_shell_var_set(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_sudoers_defaults(struct tt_plan *, const char *, json_object *,
    char *, size_t);
int tt_act_pam_module_arg_absent(struct tt_plan *, const char *, json_object *,
    char *, size_t);
int tt_act_grub_cmdline_arg(struct tt_plan *, const char *, json_object *,
    char *, size_t);
int
tt_act_file_mode(struct tt_plan *, const char *, json_object *, char *, size_t);
int tt_act_file_absent(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_file_content(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_line_present(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_line_absent(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_mount_option(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int
tt_act_unit_mask(struct tt_plan *, const char *, json_object *, char *, size_t);
int tt_act_unit_disable(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_unit_enable(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_account_field(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_account_lock(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int tt_act_pam_module_arg(struct tt_plan *, const char *, json_object *, char *,
    size_t);
int
tt_act_package(struct tt_plan *, const char *, json_object *, char *, size_t);

#endif
