# Builds the Machine Configuration package and a policy for it.
# Needs PowerShell 7 with the GuestConfiguration and PSDesiredStateConfiguration
# (2.0.7) modules, on Linux.
#
# Without -Remediate: an Audit package (Test and Get only) and an Audit
# policy.  With -Remediate: the configuration has Remediate = $true, the
# package is AuditAndSet (Machine Configuration calls Set, which runs
# `tattoo harden`) and the policy ApplyAndAutoCorrect.  The package type
# always follows Remediate: tests/cli/t0983-mc-package-type.sh checks it.
param(
    [Parameter(Mandatory)] [string] $ContentUri,   # where the .zip will be uploaded (blob with SAS or public)
    [string] $PolicyVersion = '1.0.0',
    [switch] $Remediate
)
$ErrorActionPreference = 'Stop'
$env:PSModulePath = "$PSScriptRoot" + [IO.Path]::PathSeparator + $env:PSModulePath

if ($Remediate) {
    $type = 'AuditAndSet'
    $mode = 'ApplyAndAutoCorrect'
    $name = 'TattooRemediate'
    $display = 'Golden image is CIS compliant (tattoo audit, tattoo harden to correct)'
} else {
    $type = 'Audit'
    $mode = 'Audit'
    $name = 'TattooAudit'
    $display = 'Golden image is CIS compliant (tattoo audit)'
}

& "$PSScriptRoot/TattooAudit.ps1" -Remediate:$Remediate

$package = New-GuestConfigurationPackage -Name $name `
    -Configuration ./out/localhost.mof -Type $type -Force

$hash = (Get-FileHash -Algorithm SHA256 $package.Path).Hash
New-GuestConfigurationPolicy -PolicyId (New-Guid) -DisplayName $display `
    -Description 'Non-compliant when tattoo audit exits 1; the reasons are the failing rules from status.json.' `
    -ContentUri $ContentUri -ContentHash $hash -Path ./policy -Platform Linux `
    -PolicyVersion $PolicyVersion -Mode $mode
