# A class-based DSC resource for Azure Machine Configuration (Linux).
#
# Test: runs `tattoo audit` and reads its exit code, the contract of
#       DESIGN.md: 0 compliant, 1 non-compliant; 2, 3 and 4 are errors of
#       the run (usage, bad input, environment), never a verdict.
# Get:  returns the reasons `tattoo audit` wrote to the "audit" section of
#       /var/lib/tattoo/status.json (docs/schema/status.schema.json), one
#       Machine Configuration reason per failing rule.
# Set:  audit-only unless Remediate is true, then `tattoo harden`.

$script:Tattoo = '/usr/sbin/tattoo'
$script:StatusFile = '/var/lib/tattoo/status.json'

class Reason {
    [DscProperty()]
    [string] $Code

    [DscProperty()]
    [string] $Phrase
}

function Invoke-TattooAudit {
    param([string] $AuditProfile)

    $arguments = @('-q', 'audit')
    if ($AuditProfile) { $arguments += @('--profile', $AuditProfile) }
    & $script:Tattoo @arguments | Out-Null
    switch ($LASTEXITCODE) {
        0 { return $true }
        1 { return $false }
        2 { throw "tattoo audit: usage error (exit 2)" }
        3 { throw "tattoo audit: bad rule pack or configuration (exit 3)" }
        4 { throw "tattoo audit: environment error (exit 4)" }
        default { throw "tattoo audit: unexpected exit code $LASTEXITCODE" }
    }
}

function Get-TattooReasons {
    $prefix = 'TattooCompliance:TattooCompliance'
    if (-not (Test-Path -LiteralPath $script:StatusFile)) {
        return @([Reason]@{ Code = "${prefix}:NoStatus"; Phrase = "no audit has run yet: $script:StatusFile is absent" })
    }
    $status = Get-Content -LiteralPath $script:StatusFile -Raw | ConvertFrom-Json
    if ($null -eq $status.audit) {
        return @([Reason]@{ Code = "${prefix}:NoAudit"; Phrase = "$script:StatusFile has no audit section" })
    }
    if ($status.audit.compliant) {
        return @([Reason]@{ Code = "${prefix}:Compliant"; Phrase = ("profile {0}: compliant, score {1}" -f $status.audit.profile, $status.audit.score) })
    }
    $reasons = @()
    foreach ($r in $status.audit.reasons) {
        $reasons += [Reason]@{ Code = "${prefix}:$($r.code)"; Phrase = $r.phrase }
    }
    return $reasons
}

[DscResource()]
class TattooCompliance {
    [DscProperty(Key)]
    [string] $Name

    [DscProperty()]
    [string] $Profile

    [DscProperty()]
    [bool] $Remediate = $false

    [DscProperty(NotConfigurable)]
    [Reason[]] $Reasons

    [TattooCompliance] Get() {
        $this.Reasons = Get-TattooReasons
        return $this
    }

    [bool] Test() {
        return Invoke-TattooAudit -AuditProfile $this.Profile
    }

    [void] Set() {
        if (-not $this.Remediate) {
            throw 'TattooCompliance is audit-only; set Remediate = $true to run tattoo harden'
        }
        # Remediate = $true is the yes a live harden needs (no terminal).
        $arguments = @('-q', 'harden', '--force')
        if ($this.Profile) { $arguments += @('--profile', $this.Profile) }
        & $script:Tattoo @arguments | Out-Null
        if ($LASTEXITCODE -gt 1) { throw "tattoo harden failed (exit $LASTEXITCODE)" }
    }
}
