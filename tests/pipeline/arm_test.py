"""Unit checks of arm.py (run by tests/pipeline/run.sh; python3 arm_test.py).
Ends with "N passed, N failed"."""
import sys

from arm import ArmError, Evaluator

T = {
    "parameters": {
        "name": {"type": "string"},
        "ver": {"type": "string", "defaultValue": "1.0.0"},
        "loc": {"type": "string", "defaultValue": "[resourceGroup().location]"},
        "regions": {"type": "array", "defaultValue": ["a"]},
    },
    "variables": {
        "v1": "[format('{0}-{1}', parameters('name'), parameters('ver'))]",
        "v2": "[concat(variables('v1'), '/x')]",
        "loop": "[variables('loop')]",
    },
}
passed = failed = 0


def eq(desc, expr, want, params=None):
    global passed, failed
    try:
        got = Evaluator(T, params or {"name": "web"}).value(expr)
    except ArmError as e:
        got = f"ArmError: {e}"
    if got == want:
        passed += 1
        print(f"ok - {desc}")
    else:
        failed += 1
        print(f"not ok - {desc}: got {got!r}, want {want!r}")


def err(desc, expr, words):
    global passed, failed
    try:
        got = Evaluator(T, {"name": "web"}).value(expr)
    except ArmError as e:
        if words in str(e):
            passed += 1
            print(f"ok - {desc}")
            return
        got = f"ArmError: {e}"
    failed += 1
    print(f"not ok - {desc}: got {got!r}, want an error with {words!r}")


eq("a plain string is itself", "sudo tattoo", "sudo tattoo")
eq("[[ escapes a literal [", "[[variables('x')]", "[variables('x')]")
eq("parameters() given", "[parameters('name')]", "web")
eq("parameters() default", "[parameters('ver')]", "1.0.0")
eq("parameters() given wins over the default", "[parameters('ver')]", "2.0",
   {"name": "web", "ver": "2.0"})
eq("an array parameter", "[parameters('regions')]", ["a"])
eq("variables() through format()", "[variables('v1')]", "web-1.0.0")
eq("variables() through concat() and another variable", "[variables('v2')]",
   "web-1.0.0/x")
eq("quotes doubled in a literal", "[format('test ''{0}''', 'x')]", "test 'x'")
eq("format() braces escaped", "[format('{{{0}}}', 7)]", "{7}")
eq("format() reuses an index", "[format('{0}{0}{1}', 'a', 'b')]", "aab")
eq("concat() of strings and ints", "[concat('a', 1, 'b')]", "a1b")
eq("concat() of arrays", "[concat(parameters('regions'), parameters('regions'))]", ["a", "a"])
eq("function names in any case", "[CONCAT('a', Format('{0}', 'b'))]", "ab")
eq("nested values: keys and lists", {"[parameters('name')]": ["[parameters('ver')]"]},
   {"web": ["1.0.0"]})
err("an unknown function is refused, named", "[resourceGroup()]", "resourceGroup(): not a function")
err("an unknown function inside another", "[concat('a', uniqueString('b'))]", "uniqueString()")
err("a default that is not evaluable is refused", "[parameters('loc')]", "resourceGroup().location")
err("an undeclared parameter", "[parameters('nope')]", "not declared")
err("an undeclared variable", "[variables('nope')]", "not declared")
err("a variable defined through itself", "[variables('loop')]", "through itself")
err("format() past its arguments", "[format('{1}', 'a')]", "{1} but 1 argument")
err("format() with a lone brace", "[format('a}b')]", "lone")
err("an unterminated string", "[concat('a)]", "unterminated")
err("property access is refused", "[parameters('name').x]", "property access")
err("trailing text is refused", "[parameters('name') x]", "unexpected text")
try:
    Evaluator(T, {}).value("[parameters('name')]")
    failed += 1
    print("not ok - a parameter without value or default: no error")
except ArmError as e:
    ok = "no value and no defaultValue" in str(e)
    passed += ok
    failed += not ok
    print(("ok" if ok else "not ok") + " - a parameter without value or default")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
