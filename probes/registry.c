/*
 * The probe registry: adding a probe is one new file and one line here.
 */
#include "probe.h"
#include "tt.h"

extern const struct tt_probe tt_probe_file, tt_probe_file_lines,
    tt_probe_sshd_config, tt_probe_login_defs, tt_probe_pwquality,
    tt_probe_faillock, tt_probe_pwhistory, tt_probe_journald, tt_probe_rsyslog,
    tt_probe_sudoers, tt_probe_shell_vars, tt_probe_sysctl,
    tt_probe_kernel_module, tt_probe_package, tt_probe_systemd_unit,
    tt_probe_mount, tt_probe_accounts, tt_probe_account_duplicates,
    tt_probe_account_consistency, tt_probe_home_dirs, tt_probe_walk,
    tt_probe_grub_cmdline, tt_probe_pam, tt_probe_limits,
    tt_probe_hyperv_drivers, tt_probe_pending_updates, tt_probe_required_agents,
    tt_probe_log_forward, tt_probe_nftables, tt_probe_nologin_accounts;

const struct tt_probe *const tt_probes[] = {
	&tt_probe_file,
	&tt_probe_file_lines,
	&tt_probe_sshd_config,
	&tt_probe_login_defs,
	&tt_probe_pwquality,
	&tt_probe_faillock,
	&tt_probe_pwhistory,
	&tt_probe_journald,
	&tt_probe_rsyslog,
	&tt_probe_sudoers,
	&tt_probe_shell_vars,
	&tt_probe_sysctl,
	&tt_probe_kernel_module,
	&tt_probe_package,
	&tt_probe_systemd_unit,
	&tt_probe_mount,
	&tt_probe_accounts,
	&tt_probe_account_duplicates,
	&tt_probe_account_consistency,
	&tt_probe_home_dirs,
	&tt_probe_walk,
	&tt_probe_grub_cmdline,
	&tt_probe_pam,
	&tt_probe_limits,
	&tt_probe_hyperv_drivers,
	&tt_probe_pending_updates,
	&tt_probe_required_agents,
	&tt_probe_log_forward,
	&tt_probe_nftables,
	&tt_probe_nologin_accounts,
	NULL,
};
