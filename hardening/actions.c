#include "actions.h"
#include "log.h"
#include "tt.h"

#define P(...)                                                                 \
	(const char *const[])                                                  \
	{                                                                      \
		__VA_ARGS__, NULL                                              \
	}
#define NONE                                                                   \
	(const char *const[])                                                  \
	{                                                                      \
		NULL                                                           \
	}

const struct tt_action tt_actions[] = {
	{ "sshd_set", P("key", "value"), NONE, false, tt_act_sshd_set },
	{ "sysctl_set", P("key", "value"), NONE, false, tt_act_sysctl_set },
	{ "modprobe_disable", P("module"), NONE, false,
	    tt_act_modprobe_disable },
	{ "login_defs_set", P("key", "value"), NONE, false,
	    tt_act_login_defs_set },
	{ "pwquality_set", P("key", "value"), NONE, false,
	    tt_act_pwquality_set },
	{ "faillock_set", P("key", "value"), NONE, false, tt_act_faillock_set },
	{ "pwhistory_set", P("key", "value"), NONE, false,
	    tt_act_pwhistory_set },
	{ "journald_set", P("key", "value"), NONE, false, tt_act_journald_set },
	{ "pam_module_arg", P("service", "type", "module", "arg"), P("value"),
	    false, tt_act_pam_module_arg },
	{ "pam_module_arg_absent", P("service", "module", "arg"), P("type"),
	    false, tt_act_pam_module_arg_absent },
	{ "file_mode", P("path", "mode"), P("owner", "group"), false,
	    tt_act_file_mode },
	{ "file_absent", P("path"), NONE, false, tt_act_file_absent },
	{ "file_content", P("path", "content"), P("mode"), false,
	    tt_act_file_content },
	{ "line_present", P("path", "line", "regex"), NONE, false,
	    tt_act_line_present },
	{ "line_absent", P("path", "regex"), NONE, false, tt_act_line_absent },
	{ "unit_mask", P("unit"), NONE, false, tt_act_unit_mask },
	{ "unit_disable", P("unit"), NONE, false, tt_act_unit_disable },
	{ "unit_enable", P("unit"), NONE, false, tt_act_unit_enable },
	{ "mount_option", P("path", "option"), NONE, false,
	    tt_act_mount_option },
	{ "package_remove", P("name"), NONE, true, tt_act_package },
	{ "package_install", P("name"), NONE, true, NULL },
	{ "account_field", P("table", "field", "value"), P("where"), false,
	    tt_act_account_field },
	{ "account_lock", P("user"), NONE, false, tt_act_account_lock },
	{ "grub_cmdline_arg", P("arg"), P("value"), false,
	    tt_act_grub_cmdline_arg },
	{ "shell_var_set", P("path", "key", "value"), NONE, false,
	    tt_act_shell_var_set },
	{ "sudoers_defaults", P("key"), P("value"), false,
	    tt_act_sudoers_defaults },
	{ "rsyslog_set", P("key", "value"), NONE, false, tt_act_rsyslog_set },
	{ NULL, NULL, NULL, false, NULL },
};

const struct tt_action *
tt_action_find(const char *name)
{
	for (const struct tt_action *a = tt_actions; a->name != NULL; a++)
		if (TT_STREQ(a->name, name))
			return a;
	return NULL;
}

const char *
tt_action_param(json_object *params, const char *name)
{
	json_object *v;

	if (params == NULL || !json_object_object_get_ex(params, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}
