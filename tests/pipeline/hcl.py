"""A small reader of the plain HCL in docs/packer/golden.pkr.hcl.

Reads a body of attributes (NAME = VALUE) and blocks (TYPE "LABEL"... {
BODY }); values are strings ("..." with \\ \" \n \t escapes, ${var.NAME}
interpolation and $${ for a literal ${), numbers, true/false, lists
[ v, ... ] (a trailing comma allowed), objects { k = v ... }, bare
var.NAME and the type names string, number and bool.  Comments: #, // and /* */.  Anything else (heredocs, other
interpolations, function calls, template directives %{) is an error
naming the line: the test must not run something this reader guessed.
"""
import json
import re
import sys


class HclError(Exception):
    pass


class Reader:
    def __init__(self, text, variables):
        self.t = text
        self.i = 0
        self.vars = variables

    def line(self):
        return self.t.count("\n", 0, self.i) + 1

    def fail(self, why):
        raise HclError(f"line {self.line()}: {why}")

    def skip(self, newlines=True):
        while self.i < len(self.t):
            c = self.t[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.i += 1
            elif c == "#" or self.t.startswith("//", self.i):
                while self.i < len(self.t) and self.t[self.i] != "\n":
                    self.i += 1
            elif self.t.startswith("/*", self.i):
                end = self.t.find("*/", self.i + 2)
                if end < 0:
                    self.fail("unterminated comment")
                self.i = end + 2
            else:
                break

    def ident(self):
        m = re.match(r"[A-Za-z_][A-Za-z0-9_-]*", self.t[self.i:])
        if not m:
            self.fail(f"a name expected, not {self.t[self.i:self.i + 10]!r}")
        self.i += len(m.group(0))
        return m.group(0)

    def body(self, end):
        """[(kind, name, labels, value)] until end ('}' or EOF)."""
        items = []
        while True:
            self.skip()
            if self.i >= len(self.t):
                if end is None:
                    return items
                self.fail("'}' expected")
            if end is not None and self.t[self.i] == end:
                self.i += 1
                return items
            name = self.ident()
            self.skip(newlines=False)
            if self.t.startswith("=", self.i):
                self.i += 1
                items.append(("attr", name, [], self.value()))
                continue
            labels = []
            while self.t.startswith('"', self.i):
                labels.append(self.string())
                self.skip(newlines=False)
            if not self.t.startswith("{", self.i):
                self.fail(f"'=' or '{{' expected after {name}")
            self.i += 1
            items.append(("block", name, labels, self.body("}")))

    def value(self):
        self.skip()
        if self.i >= len(self.t):
            self.fail("a value expected")
        c = self.t[self.i]
        if c == '"':
            return self.string()
        if self.t.startswith("<<", self.i):
            self.fail("heredocs are not supported")
        if c == "[":
            self.i += 1
            out = []
            while True:
                self.skip()
                if self.t.startswith("]", self.i):
                    self.i += 1
                    return out
                out.append(self.value())
                self.skip()
                if self.t.startswith(",", self.i):
                    self.i += 1
                elif not self.t.startswith("]", self.i):
                    self.fail("',' or ']' expected")
        if c == "{":
            self.i += 1
            out = {}
            while True:
                self.skip()
                if self.t.startswith("}", self.i):
                    self.i += 1
                    return out
                k = self.string() if self.t.startswith('"', self.i) else self.ident()
                self.skip(newlines=False)
                if not (self.t.startswith("=", self.i) or self.t.startswith(":", self.i)):
                    self.fail(f"'=' expected after {k}")
                self.i += 1
                out[k] = self.value()
                self.skip()
                if self.t.startswith(",", self.i):
                    self.i += 1
        m = re.match(r"-?\d+(\.\d+)?", self.t[self.i:])
        if m:
            self.i += len(m.group(0))
            return float(m.group(0)) if m.group(1) else int(m.group(0))
        m = re.match(r"(true|false)\b", self.t[self.i:])
        if m:
            self.i += len(m.group(0))
            return m.group(0) == "true"
        # A variable's type: the primitive type names only.
        m = re.match(r"(string|number|bool)\b", self.t[self.i:])
        if m:
            self.i += len(m.group(0))
            return m.group(0)
        m = re.match(r"var\.([A-Za-z_][A-Za-z0-9_-]*)\b(?![.(\[])", self.t[self.i:])
        if m:
            self.i += len(m.group(0))
            return self.var(m.group(1))
        self.fail(f"a value this reader does not know: {self.t[self.i:self.i + 20]!r}")

    def var(self, name):
        if name not in self.vars:
            self.fail(f"var.{name}: no such variable, or no value")
        return self.vars[name]

    def string(self):
        self.i += 1
        out = []
        esc = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
        while self.i < len(self.t):
            c = self.t[self.i]
            if c == '"':
                self.i += 1
                return "".join(out)
            if c == "\n":
                self.fail("a newline in a string")
            if c == "\\":
                n = self.t[self.i + 1:self.i + 2]
                if n not in esc:
                    self.fail(f"unknown escape \\{n}")
                out.append(esc[n])
                self.i += 2
            elif self.t.startswith("$${", self.i) or self.t.startswith("%%{", self.i):
                out.append(c + "{")
                self.i += 3
            elif self.t.startswith("${", self.i):
                m = re.match(r"\$\{\s*var\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}", self.t[self.i:])
                if not m:
                    self.fail(f"an interpolation other than ${{var.NAME}}: {self.t[self.i:self.i + 20]!r}")
                v = self.var(m.group(1))
                if not isinstance(v, (str, int, float)) or isinstance(v, bool):
                    self.fail(f"var.{m.group(1)} is not text")
                out.append(str(v))
                self.i += len(m.group(0))
            elif self.t.startswith("%{", self.i):
                self.fail("template directives are not supported")
            else:
                out.append(c)
                self.i += 1
        self.fail("unterminated string")


def load(path, overrides):
    """The file's top-level items, its variables resolved: the defaults,
    then overrides (a dict, as -var NAME=VALUE gives them)."""
    text = open(path).read()
    first = Reader(text, _Lazy())
    items = first.body(None)
    variables = {}
    for kind, name, labels, body in items:
        if kind == "block" and name == "variable":
            for k, n, _, v in body:
                if k == "attr" and n == "default":
                    variables[labels[0]] = v
    for k, v in overrides.items():
        variables[k] = v
    return Reader(text, variables).body(None)


class _Lazy(dict):
    """Variables for the first pass: any name reads as a placeholder (the
    variable blocks' defaults are plain values, read for real below)."""

    def __contains__(self, k):
        return True

    def __getitem__(self, k):
        return "<var." + k + ">"


def shell_provisioners(items):
    """[(execute_command, inline_shebang, [lines])] of build's shell
    provisioners, in order; file provisioners as ("file", source, dest)."""
    out = []
    for kind, name, labels, body in items:
        if kind != "block" or name != "build":
            continue
        for k, n, lab, b in body:
            if k != "block" or n != "provisioner":
                continue
            attrs = {an: av for ak, an, _, av in b if ak == "attr"}
            if lab == ["file"]:
                out.append(("file", attrs["source"], attrs["destination"]))
            elif lab == ["shell"]:
                if "inline" not in attrs or not all(isinstance(x, str) for x in attrs["inline"]):
                    raise HclError("a shell provisioner without inline lines")
                out.append(("shell", attrs.get("execute_command", "chmod +x {{ .Path }}; {{ .Vars }} {{ .Path }}"),
                            attrs.get("inline_shebang", "/bin/sh -e"), attrs["inline"]))
            else:
                raise HclError(f"provisioner {lab}: not one the test can run")
    return out


if __name__ == "__main__":
    # hcl.py FILE [NAME=VALUE...]: the provisioners as JSON lines.
    try:
        ov = dict(a.split("=", 1) for a in sys.argv[2:])
        for p in shell_provisioners(load(sys.argv[1], ov)):
            print(json.dumps(p))
    except (HclError, KeyError) as e:
        print(f"hcl.py: {e}", file=sys.stderr)
        sys.exit(3)
