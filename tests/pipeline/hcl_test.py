"""Unit checks of hcl.py (run by tests/pipeline/run.sh; python3 hcl_test.py).
Ends with "N passed, N failed"."""
import os
import sys
import tempfile

from hcl import HclError, load, shell_provisioners

passed = failed = 0


def parse(text, ov=None):
    with tempfile.NamedTemporaryFile("w", suffix=".hcl", delete=False) as f:
        f.write(text)
    try:
        return shell_provisioners(load(f.name, ov or {}))
    finally:
        os.unlink(f.name)


def eq(desc, text, want, ov=None):
    global passed, failed
    try:
        got = parse(text, ov)
    except HclError as e:
        got = f"HclError: {e}"
    ok = got == want
    passed += ok
    failed += not ok
    print(("ok" if ok else "not ok") + f" - {desc}" + ("" if ok else f": got {got!r}"))


def err(desc, text, words):
    global passed, failed
    try:
        got = parse(text)
    except HclError as e:
        got = str(e)
        if words in got:
            passed += 1
            print(f"ok - {desc}")
            return
    failed += 1
    print(f"not ok - {desc}: got {got!r}, want an error with {words!r}")


V = 'variable "v" {\n  type = string\n  default = "D"\n}\n'
B = 'build {\n  provisioner "shell" {\n    inline = [%s]\n  }\n}\n'
X = "chmod +x {{ .Path }}; {{ .Vars }} {{ .Path }}"
eq("inline lines in order", B % '"a", "b",', [("shell", X, "/bin/sh -e", ["a", "b"])])
eq("${var.NAME} from the default", V + B % '"x ${var.v} y"', [("shell", X, "/bin/sh -e", ["x D y"])])
eq("an override wins", V + B % '"${var.v}"', [("shell", X, "/bin/sh -e", ["O"])], {"v": "O"})
eq("$${ is a literal ${", B % '"echo $${HOME} $rc"', [("shell", X, "/bin/sh -e", ["echo ${HOME} $rc"])])
eq("escapes", B % r'"a\"b\\c"', [("shell", X, "/bin/sh -e", ['a"b\\c'])])
eq("comments of three kinds", "# a\n// b\n/* c */\n" + B % '"x" /* d */', [("shell", X, "/bin/sh -e", ["x"])])
eq("execute_command and shebang read",
   'build {\n provisioner "shell" {\n  execute_command = "sudo sh {{ .Path }}"\n  inline_shebang = "/bin/sh -x"\n  inline = ["x"]\n }\n}\n',
   [("shell", "sudo sh {{ .Path }}", "/bin/sh -x", ["x"])])
eq("a file provisioner", 'build {\n provisioner "file" {\n  source = "s"\n  destination = "/tmp/d"\n }\n}\n',
   [("file", "s", "/tmp/d")])
eq("objects and nested blocks elsewhere are read",
   'packer {\n required_plugins {\n  azure = {\n   source = "x"\n   version = ">= 2"\n  }\n }\n}\n' + B % '"y"',
   [("shell", X, "/bin/sh -e", ["y"])])
err("an unknown variable", B % '"${var.nope}"', "var.nope")
err("another interpolation", B % '"${local.x}"', "other than ${var.NAME}")
err("a function call", B % 'upper("x")', "does not know")
err("a heredoc", 'build {\n provisioner "shell" {\n  inline = <<EOF\nx\nEOF\n }\n}\n', "heredoc")
err("a template directive", B % '"%{ if true }x%{ endif }"', "directives")
err("an unterminated string", B % '"x', "newline in a string")
err("a provisioner the test cannot run", 'build {\n provisioner "ansible" {\n  x = 1\n }\n}\n', "ansible")
err("a shell provisioner without inline", 'build {\n provisioner "shell" {\n  script = "x.sh"\n }\n}\n', "without inline")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
