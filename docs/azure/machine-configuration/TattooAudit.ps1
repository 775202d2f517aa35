# The configuration compiled into the Machine Configuration package.
# -Remediate compiles Remediate = $true into the MOF: Set then runs
# `tattoo harden`, and build-package.ps1 makes the package AuditAndSet
# (an Audit package never calls Set, so Remediate would do nothing).
param(
    [switch] $Remediate
)

Configuration TattooAudit {
    param(
        [bool] $Remediate = $false
    )
    Import-DscResource -ModuleName TattooCompliance

    Node localhost {
        TattooCompliance cis {
            Name      = 'cis'
            Profile   = 'cis-l1-server'
            Remediate = $Remediate
        }
    }
}

TattooAudit -Remediate $Remediate.IsPresent -OutputPath ./out
