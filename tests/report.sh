# Sourced after tests/lib.sh by the report tests (tests/cli/t06NN-*.sh):
# a root with a tattoo, the loopback mock, and a configuration file in $T.

# report_setup: root $R with a tattoo of golden 1.4.0 from a gallery, the
# mock started and its instance made a VM of that image version.
report_setup() {
	R="$T/root"
	make_root "$R"
	"$TATTOO" --root "$R" write --image-name golden --image-version 1.4.0 \
	    --gallery "$GALLERY" --no-imds \
	    --source canonical:ubuntu-24_04-lts:server:24.04.202611010 \
	    >/dev/null 2>&1 || return 1
	start_mock || return 1
	# The environment wins over the file: point it at the mock too.
	TATTOO_IMDS_URL=$MOCK_HTTP
	export TATTOO_IMDS_URL
	mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
	CONF="$T/agent.conf"
}

GALLERY=/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-img/providers/Microsoft.Compute/galleries/corp/images/golden
RID=/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-fleet/providers/Microsoft.Compute/virtualMachines/vm-golden-01

# gallery_instance VERSION: an IMDS instance document of a VM made from
# the gallery image version VERSION.
gallery_instance() {
	cat <<JSON
{"compute": {"vmId": "02aab8a4-74ef-476e-8182-f6d2ba4166a6",
 "name": "vm-golden-01", "location": "westeurope",
 "resourceId": "$RID",
 "subscriptionId": "00000000-0000-0000-0000-000000000001",
 "resourceGroupName": "rg-fleet", "vmSize": "Standard_D2s_v5",
 "osType": "Linux", "version": "",
 "storageProfile": {"imageReference": {"id": "$GALLERY/versions/$1",
   "publisher": "", "offer": "", "sku": "", "version": "",
   "exactVersion": "", "sharedGalleryImageId": "",
   "communityGalleryImageId": ""}},
 "tagsList": [{"name": "env", "value": "test"}]}}
JSON
}

# conf KEY=VALUE...: writes the configuration file $CONF (mode 0600)
# with the mock's URLs and the given keys.
conf() {
	{
		echo "imds_url = $MOCK_HTTP"
		echo "arm_url = $MOCK_HTTPS"
		echo "ca_file = $MOCK_CA"
		echo "retry_scale_ms = 1"
		# The gallery check asks ARM: only the tests of it want that.
		case " $* " in
		*" image_freshness="*) ;;
		*) echo "image_freshness = off" ;;
		esac
		for kv in "$@"; do echo "$kv" | sed 's/=/ = /'; done
	} >"$CONF"
	chmod 0600 "$CONF"
}

# report ARGS...: tattoo report against $R with $CONF.
report() { run "$TATTOO" --root "$R" --config "$CONF" report "$@"; }

# requests FILE: the mock's request log into FILE.
requests() { mock_ctl requests >"$1"; }

# pyjson DESC FILE CODE: python CODE with `d` the JSON of FILE must not fail.
pyjson() {
	_pj_desc=$1; _pj_file=$2; shift 2
	if python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
$1
" "$_pj_file" >"$T/py.err" 2>&1; then
		pass "$_pj_desc"
	else
		fail "$_pj_desc" "$T/py.err"
	fi
}

spool_count() { ls "$TATTOO_STATE_DIR/spool" 2>/dev/null | grep -c '\.json$'; }
