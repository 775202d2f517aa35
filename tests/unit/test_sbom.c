#include <errno.h>

#include "pkglist.h"
#include "sbom.h"
#include "tt_test.h"

static const char status[] = "Package: zlib1g\n"
			     "Status: install ok installed\n"
			     "Architecture: amd64\n"
			     "Source: zlib (1:1.2.13.dfsg-1)\n"
			     "Version: 1:1.2.13.dfsg-1+b1\n"
			     "Maintainer: Mark Brown <broonie@debian.org>\n"
			     "Description: compression library\n"
			     " Package: not-a-package\n"
			     "\n"
			     "Package: removed-one\n"
			     "Status: deinstall ok config-files\n"
			     "Version: 1.0\n"
			     "\n"
			     "Package: adduser\n"
			     "Status: install ok installed\n"
			     "Architecture: all\n"
			     "Version: 3.134\n"
			     "\n"
			     "Package: libc6\n"
			     "Status: install ok installed\n"
			     "Architecture: i386\n"
			     "Source: glibc\n"
			     "Version: 2.36-9+deb12u4\n"
			     "\n"
			     "Package: libc6\n"
			     "Status: install ok installed\n"
			     "Architecture: amd64\n"
			     "Source: glibc\n"
			     "Version: 2.36-9+deb12u4\n";

static void
test_dpkg(void)
{
	struct tt_pkglist l = { 0 };

	CHECK_INT(tt_pkglist_parse_dpkg(status, strlen(status), &l), 0);
	CHECK_INT(l.n, 4);
	CHECK_STR(l.v[0].name, "adduser");
	CHECK_STR(l.v[0].source, "adduser"); /* no Source: itself */
	CHECK_STR(l.v[0].supplier, "");
	CHECK_STR(l.v[1].name, "libc6");
	CHECK_STR(l.v[1].arch, "amd64"); /* sorted by arch after name */
	CHECK_STR(l.v[2].arch, "i386");
	CHECK_STR(l.v[3].name, "zlib1g");
	CHECK_STR(l.v[3].version, "1:1.2.13.dfsg-1+b1");
	CHECK_STR(l.v[3].source, "zlib");
	CHECK_STR(l.v[3].source_version, "1:1.2.13.dfsg-1");
	CHECK_STR(l.v[3].supplier, "Mark Brown <broonie@debian.org>");
	tt_pkglist_free(&l);
}

static void
test_rpm(void)
{
	static const char out[] =
	    "bash\t(none)\t5.1.8\t9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm\t"
	    "Red Hat, Inc.\n"
	    "gpg-pubkey\t(none)\tfd431d51\t4ae0493b\t(none)\t(none)\t(none)\n"
	    "shim-x64\t3\t15.8\t3.el9\tx86_64\tshim-15.8-3.el9.src.rpm\t\n"
	    "broken\tline\n";
	struct tt_pkglist l = { .type = TT_PKG_RPM };
	char v[64];

	CHECK_INT(tt_pkglist_parse_rpm(out, strlen(out), &l), 0);
	CHECK_INT(l.n, 2);
	CHECK_STR(l.v[0].name, "bash");
	CHECK_STR(l.v[0].version, "5.1.8-9.el9");
	CHECK_STR(l.v[0].epoch, "");
	CHECK_STR(l.v[0].source, "bash");
	CHECK_STR(l.v[0].supplier, "Red Hat, Inc.");
	CHECK_STR(l.v[1].epoch, "3");
	CHECK_STR(l.v[1].source, "shim");
	tt_pkg_full_version(&l.v[1], v, sizeof(v));
	CHECK_STR(v, "3:15.8-3.el9");
	tt_pkglist_free(&l);
}

static void
test_purl(void)
{
	struct tt_pkglist l = { .type = TT_PKG_DEB };
	struct tt_pkg p = { .name = "zlib1g",
		.version = "1:2.3+dfsg-1",
		.epoch = "",
		.arch = "amd64",
		.source = "",
		.source_version = "",
		.supplier = "" };
	static const char osr[] = "ID=debian\nVERSION_ID=\"12\"\n";
	static const char rhel[] = "ID=\"rhel\"\nVERSION_ID=\"9.4\"\n";
	char out[512];

	CHECK_INT(tt_purl_encode("1:2.3+dfsg-1~bpo 1/x", out, sizeof(out)), 0);
	CHECK_STR(out, "1%3A2.3%2Bdfsg-1~bpo%201%2Fx");
	CHECK_INT(tt_purl_encode("abcdef", out, 4), -ENAMETOOLONG);
	CHECK_INT(tt_osrelease_parse(&l.os, osr, strlen(osr)), 0);
	CHECK_INT(tt_purl(&l, &p, out, sizeof(out)), 0);
	CHECK_STR(out,
	    "pkg:deb/debian/zlib1g@1%3A2.3%2Bdfsg-1?arch=amd64&distro=debian-12");
	tt_osrelease_free(&l.os);

	/* rpm: the epoch is a qualifier, qualifiers sorted by key, rhel's
	 * namespace is redhat. */
	l.type = TT_PKG_RPM;
	p.name = "shim-x64";
	p.version = "15.8-3.el9";
	p.epoch = "3";
	p.arch = "x86_64";
	CHECK_INT(tt_osrelease_parse(&l.os, rhel, strlen(rhel)), 0);
	CHECK_INT(tt_purl(&l, &p, out, sizeof(out)), 0);
	CHECK_STR(out,
	    "pkg:rpm/redhat/shim-x64@15.8-3.el9?arch=x86_64&"
	    "distro=rhel-9.4&epoch=3");
	p.epoch = "";
	p.arch = "";
	CHECK_INT(tt_purl(&l, &p, out, sizeof(out)), 0);
	CHECK_STR(out, "pkg:rpm/redhat/shim-x64@15.8-3.el9?distro=rhel-9.4");
	CHECK_INT(tt_purl(&l, &p, out, 20), -ENAMETOOLONG);
	tt_osrelease_free(&l.os);
}

/* Same content and time: the same bytes, serial number included. */
static void
test_deterministic(void)
{
	struct tt_pkglist l = { .type = TT_PKG_DEB };
	struct tt_sbom_subject s = { "img", "1.0" };
	json_object *a, *b, *c;

	CHECK_INT(tt_pkglist_parse_dpkg(status, strlen(status), &l), 0);
	a = tt_sbom_build(&l, TT_SBOM_CYCLONEDX, &s, 1700000000);
	b = tt_sbom_build(&l, TT_SBOM_CYCLONEDX, &s, 1700000000);
	c = tt_sbom_build(&l, TT_SBOM_CYCLONEDX, &s, 1700000001);
	CHECK(a != NULL && b != NULL && c != NULL);
	CHECK_STR(json_object_to_json_string(a), json_object_to_json_string(b));
	CHECK(strcmp(json_object_get_string(
			 json_object_object_get(a, "serialNumber")),
		  json_object_get_string(
		      json_object_object_get(c, "serialNumber"))) != 0);
	CHECK_STR(json_object_get_string(
		      json_object_object_get(json_object_object_get(json_object_object_get(a,
									"metadata"),
						 "component"),
			  "name")),
	    "img");
	json_object_put(a);
	json_object_put(b);
	json_object_put(c);
	tt_pkglist_free(&l);
}

int
main(void)
{
	RUN(test_dpkg);
	RUN(test_rpm);
	RUN(test_purl);
	RUN(test_deterministic);
	TEST_EXIT();
}
