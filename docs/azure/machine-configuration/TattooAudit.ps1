# The configuration compiled into the Machine Configuration package.
Configuration TattooAudit {
    Import-DscResource -ModuleName TattooCompliance

    Node localhost {
        TattooCompliance cis {
            Name    = 'cis'
            Profile = 'cis-l1-server'
        }
    }
}

TattooAudit -OutputPath ./out
