# A golden Debian 12 image with tattoo, built by Packer's azure-arm
# builder: the same steps as docs/azure/image-builder.json (install the
# package, harden, write the tattoo, audit evidence, scrub last, check),
# then Azure's deprovision.  make test-pipeline runs the shell
# provisioners' inline lines, in order, in a chroot of a Debian 12 tree
# (tests/pipeline/run.sh; tests/pipeline/hcl.py reads this file): keep
# it plain HCL (attributes, blocks, strings with ${var.NAME}, lists).
#
#   packer init docs/packer && packer build \
#     -var image_version=1.4.0 -var subscription_id=... \
#     -var resource_group=images -var gallery=golden docs/packer

packer {
  required_plugins {
    azure = {
      source  = "github.com/hashicorp/azure"
      version = ">= 2.0.0"
    }
  }
}

variable "package" {
  type        = string
  default     = "build/pkg/tattoo_0.1.0_amd64.deb"
  description = "the .deb from make deb"
}
variable "image_name" {
  type    = string
  default = "web-base"
}
variable "image_version" {
  type        = string
  description = "the gallery version, e.g. 1.4.0; written into the tattoo"
}
variable "subscription_id" {
  type = string
}
variable "resource_group" {
  type = string
}
variable "gallery" {
  type = string
}
variable "location" {
  type    = string
  default = "westeurope"
}
variable "build_id" {
  type    = string
  default = ""
}
variable "pipeline_url" {
  type    = string
  default = ""
}
variable "source_publisher" {
  type    = string
  default = "Debian"
}
variable "source_offer" {
  type    = string
  default = "debian-12"
}
variable "source_sku" {
  type    = string
  default = "12-gen2"
}
# Pin it: the tattoo records it as the source image (--source).
variable "source_version" {
  type    = string
  default = "latest"
}

source "azure-arm" "golden" {
  use_azure_cli_auth = true
  subscription_id    = "${var.subscription_id}"
  os_type            = "Linux"
  image_publisher    = "${var.source_publisher}"
  image_offer        = "${var.source_offer}"
  image_sku          = "${var.source_sku}"
  image_version      = "${var.source_version}"
  location           = "${var.location}"
  vm_size            = "Standard_D2s_v5"

  shared_image_gallery_destination {
    subscription        = "${var.subscription_id}"
    resource_group      = "${var.resource_group}"
    gallery_name        = "${var.gallery}"
    image_name          = "${var.image_name}"
    image_version       = "${var.image_version}"
    replication_regions = ["${var.location}"]
  }
}

build {
  sources = ["source.azure-arm.golden"]

  provisioner "file" {
    source      = "${var.package}"
    destination = "/tmp/tattoo.deb"
  }

  # As root (sudo -E sh), with -e: the first failing line stops the build.
  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E sh -e '{{ .Path }}'"
    inline = [
      "apt-get update -q",
      "DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/tattoo.deb",
      "rm -f /tmp/tattoo.deb",
      "rm -rf /var/lib/apt/lists/*",
      "tattoo harden --force",
      "tattoo write --image-name '${var.image_name}' --image-version '${var.image_version}' --source '${var.source_publisher}:${var.source_offer}:${var.source_sku}:${var.source_version}' --build-id '${var.build_id}' --pipeline-url '${var.pipeline_url}' --builder packer-azure-arm",
      "install -d -m 0700 /var/lib/tattoo/evidence",
      "rc=0; tattoo audit --output html:/var/lib/tattoo/evidence/audit.html --output junit:/var/lib/tattoo/evidence/audit.xml --fail-on high || rc=$?",
      "cat /var/lib/tattoo/evidence/audit.xml",
      "test $rc -eq 0",
      "tattoo scrub --apply --force",
      "tattoo scrub --check",
      "tattoo verify",
    ]
  }

  # Azure's deprovision, last (the Packer azure-arm documentation's step).
  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; {{ .Vars }} sudo -E sh '{{ .Path }}'"
    inline          = ["/usr/sbin/waagent -force -deprovision+user && export HISTSIZE=0 && sync"]
    inline_shebang  = "/bin/sh -x"
  }
}
