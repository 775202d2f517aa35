# Builds the Machine Configuration package and an audit policy for it.
# Needs PowerShell 7 with the GuestConfiguration and PSDesiredStateConfiguration
# (2.0.7) modules, on Linux.
param(
    [Parameter(Mandatory)] [string] $ContentUri,   # where the .zip will be uploaded (blob with SAS or public)
    [string] $PolicyVersion = '1.0.0'
)
$ErrorActionPreference = 'Stop'
$env:PSModulePath = "$PSScriptRoot" + [IO.Path]::PathSeparator + $env:PSModulePath

. "$PSScriptRoot/TattooAudit.ps1"

$package = New-GuestConfigurationPackage -Name TattooAudit `
    -Configuration ./out/localhost.mof -Type Audit -Force

$hash = (Get-FileHash -Algorithm SHA256 $package.Path).Hash
New-GuestConfigurationPolicy -PolicyId (New-Guid) -DisplayName 'Golden image is CIS compliant (tattoo audit)' `
    -Description 'Non-compliant when tattoo audit exits 1; the reasons are the failing rules from status.json.' `
    -ContentUri $ContentUri -ContentHash $hash -Path ./policy -Platform Linux `
    -PolicyVersion $PolicyVersion -Mode Audit
