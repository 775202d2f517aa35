#!/bin/sh
# Machine Configuration (docs/azure/machine-configuration/): the package
# type matches Remediate.  No PowerShell here, so the checked-in files are
# read: build-package.ps1 makes an AuditAndSet package (and an
# ApplyAndAutoCorrect policy) exactly when -Remediate is given, and passes
# it to the configuration, which compiles Remediate into the resource; the
# resource's Set refuses without Remediate.
. "$(dirname "$0")/../lib.sh"

MC="$TT_TOP/docs/azure/machine-configuration"
python3 - "$MC" >"$T/why" 2>&1 <<'PY'
import re, sys, os
d = sys.argv[1]
build = open(os.path.join(d, "build-package.ps1")).read()
conf = open(os.path.join(d, "TattooAudit.ps1")).read()
psm = open(os.path.join(d, "TattooCompliance", "TattooCompliance.psm1")).read()
bad = []
code = "\n".join(l.split("#", 1)[0] for l in build.splitlines())
# The branches: if ($Remediate) { ...type/mode... } else { ... }.
m = re.search(r"if \(\$Remediate\) \{(.*?)\} else \{(.*?)\}", code, re.S)
if not m:
    bad.append("build-package.ps1: no if ($Remediate) { } else { } choosing the type")
else:
    def val(block, var):
        v = re.search(r"\$%s = '([A-Za-z]+)'" % var, block)
        return v.group(1) if v else None
    if val(m.group(1), "type") != "AuditAndSet":
        bad.append("with -Remediate the package type is %r, not AuditAndSet" % val(m.group(1), "type"))
    if val(m.group(2), "type") != "Audit":
        bad.append("without -Remediate the package type is %r, not Audit" % val(m.group(2), "type"))
    if val(m.group(1), "mode") != "ApplyAndAutoCorrect":
        bad.append("with -Remediate the policy mode is %r" % val(m.group(1), "mode"))
    if val(m.group(2), "mode") != "Audit":
        bad.append("without -Remediate the policy mode is %r" % val(m.group(2), "mode"))
if not re.search(r"New-GuestConfigurationPackage[^\n]*`?\s*\n?[^\n]*-Type \$type\b", code):
    bad.append("New-GuestConfigurationPackage does not take -Type $type")
if re.search(r"-Type (Audit|AuditAndSet)\b", code):
    bad.append("a literal -Type: the type must follow -Remediate")
if not re.search(r"-Mode \$mode\b", code):
    bad.append("New-GuestConfigurationPolicy does not take -Mode $mode")
if not re.search(r"TattooAudit\.ps1\"? -Remediate:\$Remediate", code):
    bad.append("build-package.ps1 does not pass -Remediate to the configuration")
if not re.search(r"Remediate\s*=\s*\$Remediate\b", conf):
    bad.append("TattooAudit.ps1 does not compile Remediate into the resource")
if not re.search(r"TattooAudit -Remediate \$Remediate\.IsPresent", conf):
    bad.append("TattooAudit.ps1 does not hand its -Remediate to the configuration")
if "[bool] $Remediate = $false" not in psm or "if (-not $this.Remediate)" not in psm:
    bad.append("TattooCompliance.psm1: Set is not gated on Remediate")
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
check "package type follows Remediate" [ $? -eq 0 ]
[ -s "$T/why" ] && sed 's/^/# /' "$T/why"
done_testing
