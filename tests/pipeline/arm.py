"""A small evaluator of ARM template expressions, for tests/pipeline.

Evaluates what docs/azure/image-builder.json uses and nothing more:
string literals ('it''s'), integers, parameters('x'), variables('x'),
format('{0}-{1}', a, b) and concat(a, b, ...).  A string "[[...]" is the
literal "[..." (ARM's escape).  Any other function (resourceGroup(),
resourceId(), ...) is an error naming it, raised where it is evaluated:
the parts of the template the test runs must not depend on one silently.
"""
import json
import re
import sys


class ArmError(Exception):
    pass


FUNCTIONS = ("parameters", "variables", "format", "concat")


class Evaluator:
    def __init__(self, template, params):
        self.template = template
        self.params = params
        self.var_cache = {}
        self.var_stack = []

    # --- parameters and variables -------------------------------------
    def parameter(self, name):
        decl = self.template.get("parameters", {})
        if name not in decl:
            raise ArmError(f"parameters('{name}'): not declared")
        if name in self.params:
            return self.params[name]
        if "defaultValue" in decl[name]:
            return self.value(decl[name]["defaultValue"])
        raise ArmError(f"parameters('{name}'): no value and no defaultValue")

    def variable(self, name):
        decl = self.template.get("variables", {})
        if name not in decl:
            raise ArmError(f"variables('{name}'): not declared")
        if name in self.var_stack:
            raise ArmError(f"variables('{name}'): defined through itself")
        if name not in self.var_cache:
            self.var_stack.append(name)
            self.var_cache[name] = self.value(decl[name])
            self.var_stack.pop()
        return self.var_cache[name]

    # --- values ----------------------------------------------------------
    def value(self, v):
        """A JSON value with every expression string in it evaluated."""
        if isinstance(v, str):
            return self.string(v)
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, dict):
            return {self.string(k): self.value(x) for k, x in v.items()}
        return v

    def string(self, s):
        if s.startswith("[["):
            return s[1:]
        if s.startswith("[") and s.endswith("]"):
            return self.expression(s[1:-1])
        return s

    def expression(self, text):
        p = Parser(text)
        node = p.parse()
        return self.eval(node)

    def eval(self, node):
        kind = node[0]
        if kind == "lit":
            return node[1]
        name, args = node[1], node[2]
        if name.lower() not in FUNCTIONS:
            raise ArmError(f"{name}(): not a function this evaluator knows "
                           f"(only {', '.join(FUNCTIONS)})")
        vals = [self.eval(a) for a in args]
        fn = name.lower()
        if fn in ("parameters", "variables"):
            if len(vals) != 1 or not isinstance(vals[0], str):
                raise ArmError(f"{name}() takes one string")
            return self.parameter(vals[0]) if fn == "parameters" else self.variable(vals[0])
        if fn == "concat":
            if not vals:
                raise ArmError("concat() needs arguments")
            if all(isinstance(x, list) for x in vals):
                return [y for x in vals for y in x]
            return "".join(text_of(x, "concat()") for x in vals)
        # format
        if not vals or not isinstance(vals[0], str):
            raise ArmError("format() needs a format string")
        return format_arm(vals[0], vals[1:])


def text_of(x, where):
    if isinstance(x, bool):
        return "True" if x else "False"
    if isinstance(x, (str, int)):
        return str(x)
    raise ArmError(f"{where}: cannot make text of {json.dumps(x)}")


def format_arm(fmt, args):
    """.NET composite formatting as ARM's format() does it: {N}, {{ and }}."""
    out = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "{" and fmt.startswith("{{", i):
            out.append("{")
            i += 2
        elif c == "}" and fmt.startswith("}}", i):
            out.append("}")
            i += 2
        elif c == "{":
            m = re.match(r"\{(\d+)\}", fmt[i:])
            if not m:
                raise ArmError(f"format(): bad placeholder at '{fmt[i:i + 8]}'")
            n = int(m.group(1))
            if n >= len(args):
                raise ArmError(f"format(): {{{n}}} but {len(args)} argument(s)")
            out.append(text_of(args[n], "format()"))
            i += len(m.group(0))
        elif c == "}":
            raise ArmError("format(): a lone '}'")
        else:
            out.append(c)
            i += 1
    return "".join(out)


class Parser:
    """expr := STRING | INT | NAME '(' [expr (',' expr)*] ')' ;
    no property access or indexing (the template uses none)."""

    def __init__(self, text):
        self.t = text
        self.i = 0

    def ws(self):
        while self.i < len(self.t) and self.t[self.i] in " \t\n":
            self.i += 1

    def fail(self, why):
        raise ArmError(f"expression '{self.t}': {why} at offset {self.i}")

    def parse(self):
        node = self.expr()
        self.ws()
        if self.i != len(self.t):
            self.fail("unexpected text")
        return node

    def expr(self):
        self.ws()
        if self.i >= len(self.t):
            self.fail("expression expected")
        c = self.t[self.i]
        if c == "'":
            return ("lit", self.string())
        if c.isdigit() or c == "-":
            m = re.match(r"-?\d+", self.t[self.i:])
            self.i += len(m.group(0))
            return ("lit", int(m.group(0)))
        m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", self.t[self.i:])
        if not m:
            self.fail(f"unexpected '{c}'")
        name = m.group(0)
        self.i += len(name)
        self.ws()
        if self.i >= len(self.t) or self.t[self.i] != "(":
            self.fail(f"'(' expected after {name}")
        self.i += 1
        args = []
        self.ws()
        if self.i < len(self.t) and self.t[self.i] == ")":
            self.i += 1
        else:
            while True:
                args.append(self.expr())
                self.ws()
                if self.i < len(self.t) and self.t[self.i] == ",":
                    self.i += 1
                    continue
                if self.i < len(self.t) and self.t[self.i] == ")":
                    self.i += 1
                    break
                self.fail("',' or ')' expected")
        self.ws()
        if self.i < len(self.t) and self.t[self.i] in ".[":
            self.fail("property access and indexing are not supported")
        return ("call", name, args)

    def string(self):
        self.i += 1
        out = []
        while self.i < len(self.t):
            c = self.t[self.i]
            if c == "'":
                if self.t.startswith("''", self.i):
                    out.append("'")
                    self.i += 2
                    continue
                self.i += 1
                return "".join(out)
            out.append(c)
            self.i += 1
        self.fail("unterminated string")


def main(argv):
    """arm.py TEMPLATE PARAMS.json PATH...: prints, one a line as JSON, the
    evaluated values at each PATH (dot-separated keys and list indexes
    into the template, e.g. resources.0.properties.customize)."""
    template = json.load(open(argv[1]))
    params = json.load(open(argv[2]))
    ev = Evaluator(template, params)
    for path in argv[3:]:
        v = template
        for k in path.split("."):
            v = v[int(k)] if isinstance(v, list) else v[k]
        print(json.dumps(ev.value(v)))


if __name__ == "__main__":
    try:
        main(sys.argv)
    except ArmError as e:
        print(f"arm.py: {e}", file=sys.stderr)
        sys.exit(3)
