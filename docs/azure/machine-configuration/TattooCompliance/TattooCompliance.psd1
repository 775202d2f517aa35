@{
    RootModule           = 'TattooCompliance.psm1'
    ModuleVersion        = '1.0.0'
    GUID                 = '6f0c4a1e-2b7d-4c8e-9a35-1d2e3f4a5b6c'
    Author               = 'tattoo'
    Description          = 'Machine Configuration resource: compliant when `tattoo audit` exits 0; reasons from /var/lib/tattoo/status.json.'
    PowerShellVersion    = '7.2'
    DscResourcesToExport = @('TattooCompliance')
}
