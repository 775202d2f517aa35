#!/bin/sh
# TLS: the collector and ARM are trusted through ca_file only; a wrong CA
# fails TLS (nothing sent, the report kept); mutual TLS with client_cert
# and client_key, and a server that demands a certificate the agent does
# not give.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }

# Wrong CA: both ARM and the collector fail TLS.
conf "collector_url=$MOCK_HTTPS/ingest"
sed -i "s|^ca_file = .*|ca_file = $T/mock/otherca.pem|" "$CONF"
report --once
check "wrong CA: exit 4" [ "$rc" -eq 4 ]
check "wrong CA: the collector failed TLS" grep -qiE "collector.*(certificate|SSL|TLS)" "$T/err"
check "wrong CA: ARM failed TLS" grep -qiE "ARM.*(certificate|SSL|TLS)" "$T/err"
check "wrong CA: the report is kept" [ "$(spool_count)" -eq 1 ]
requests "$T/reqs"
pyjson "wrong CA: nothing reached the HTTPS side" "$T/reqs" '
assert not [r for r in d if r["tls"]], d'
# No ca_file: the system CAs do not know the test CA either.
sed -i "/^ca_file/d" "$CONF"
report --once
check "system CAs only: exit 4" [ "$rc" -eq 4 ]
check "system CAs only: the issuer is unknown" grep -q "local issuer" "$T/err"


# Mutual TLS: with the client certificate, delivered (the spool too).
conf "collector_url=$MOCK_MTLS/ingest" "tags=off" \
    "client_cert=$T/mock/client.pem" "client_key=$T/mock/client.key"
report --once
check "mTLS: delivered" contains "$T/out" "3 delivered, 0 in the spool"
requests "$T/reqs"
pyjson "mTLS: the requests came over the port that demands a certificate" "$T/reqs" '
m = [r for r in d if r["server"] == "mtls"]
assert len(m) == 3, m'
# Without it the server refuses the handshake.
conf "collector_url=$MOCK_MTLS/ingest" "tags=off"
report --once
check "mTLS without a client certificate: exit 4" [ "$rc" -eq 4 ]
check "... the report kept" [ "$(spool_count)" -eq 1 ]
# A client key that is not the certificate's: refused, said.
openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out "$T/other.key" 2>/dev/null
conf "collector_url=$MOCK_MTLS/ingest" "tags=off" \
    "client_cert=$T/mock/client.pem" "client_key=$T/other.key"
report --once
check "mTLS with a mismatched key: exit 4" [ "$rc" -eq 4 ]
# ca_dir: a directory of subject-hash links, as the system's is read.
hashdir() { # DIR PEM: DIR holds PEM under its subject hash
	mkdir -p "$1"
	ln -sf "$2" "$1/$(openssl x509 -hash -noout -in "$2").0"
}
hashdir "$T/cadir" "$T/mock/ca.pem"
hashdir "$T/othercadir" "$T/mock/otherca.pem"
conf "collector_url=$MOCK_HTTPS/ingest" "ca_dir=$T/cadir"
sed -i "/^ca_file/d" "$CONF"
report --once
check "ca_dir with the test CA: exit 0" [ "$rc" -eq 0 ]
check "ca_dir with the test CA: delivered, the spool too" grep -qE "^collector: [1-9][0-9]* delivered, 0 in the spool" "$T/out"
check "ca_dir with the test CA: tags written" grep -q "^tags: written" "$T/out"
conf "collector_url=$MOCK_HTTPS/ingest" "ca_dir=$T/othercadir"
sed -i "/^ca_file/d" "$CONF"
report --once
check "ca_dir with another CA: exit 4" [ "$rc" -eq 4 ]
check "ca_dir with another CA: the collector failed TLS" grep -qiE "collector.*(certificate|SSL|TLS)" "$T/err"
done_testing
