#!/usr/bin/env python3
"""Several checks of a test in one python3 start, for pychecks in
tests/lib.sh (a python3 start is ~20-45 ms of CPU; the tests made one per
assertion, over a thousand in a run: issue 17).

    pychecks.py RESULTS [ARG...] <SCRIPT

Runs SCRIPT (stdin) with sys.argv = ['-', ARG...] and json, os, re, sys
imported.  The script calls check(DESC, COND, WHY='') once per assertion,
or makes a block of asserts one check with `with checked(DESC):` (or
`with next_check():`, DESC and the block's sys.argv from the script's
arguments); each
check writes "ok<TAB>DESC" or "not ok<TAB>DESC<TAB>WHY" to RESULTS
(WHY with backslashes and newlines escaped, for the shell's printf %b),
in order.  load(PATH) is json.load of the file; the modules of
tests/cli (verdicts.judge) can be imported.  An exception stops the
script: its traceback goes to stderr and the exit status is 1, and the
shell fails every check not made.
"""
import json
import linecache
import os
import re
import sys
import traceback

_out = open(sys.argv[1], 'w', encoding='utf-8')


def _esc(text):
    return str(text).replace('\\', '\\\\').replace('\n', '\\n').replace('\t', ' ')


def check(desc, cond, why=''):
    """One assertion: DESC passes when COND is true, else fails with WHY."""
    desc = str(desc).replace('\n', ' ').replace('\t', ' ')
    if cond:
        _out.write('ok\t%s\n' % desc)
    else:
        _out.write('not ok\t%s\t%s\n' % (desc, _esc(why or 'the condition is false')))
    _out.flush()
    return bool(cond)


class checked:
    """with checked(DESC): a block of asserts as one check, as a python3 -c
    of them was: DESC passes when the block ends, fails with the exception
    (and the script's line that raised it) when an Exception or a
    non-zero sys.exit ends it; the script goes on with the next check."""

    def __init__(self, desc):
        self.desc = desc

    def __enter__(self):
        return self

    def __exit__(self, etype, value, tb):
        if etype is None:
            check(self.desc, True)
            return False
        if issubclass(etype, SystemExit) and value.code in (None, 0):
            check(self.desc, True)  # as a python3 -c that exits 0
            return True
        if not issubclass(etype, (Exception, SystemExit)):
            return False
        why = ''.join(traceback.format_exception_only(etype, value)).strip()
        # the innermost line of the script, of code given to run() or of a
        # test helper it ran: not Python's own
        stdlib = os.path.dirname(os.__file__)
        where = [f for f in traceback.extract_tb(tb)
                 if not f.filename.startswith(('<frozen', stdlib))]
        if where:
            why = '%s line %d: %s\n%s' % (where[-1].filename, where[-1].lineno, where[-1].line, why)
        check(self.desc, False, why)
        return True


_groups = None


def next_check():
    """with next_check(): one of the checks that were `check DESC python3
    -c CODE ARG...` lines, made from the script's arguments, given as DESC
    N ARG1..ARGN for each in turn: sys.argv becomes ['-', ARG...], as that
    python3 -c had it, and the check is checked(DESC)."""
    global _groups
    if _groups is None:
        _groups = sys.argv[1:]
    desc, n = _groups[0], int(_groups[1])
    sys.argv, _groups = ['-'] + _groups[2:2 + n], _groups[2 + n:]
    return checked(desc)


def run(code, name, env):
    """exec CODE (a string) in ENV, its lines shown by name in a failure
    (the code of a queued pyjson check: pyjson_run in tests/lib.sh)."""
    name = '<%s>' % name
    linecache.cache[name] = (len(code), None, code.splitlines(True), name)
    exec(compile(code, name, 'exec'), env)


def load(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def main():
    # the tests' Python helpers (verdicts.judge...) importable
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    src = sys.stdin.read()
    linecache.cache['<pychecks script>'] = (len(src), None, src.splitlines(True), '<pychecks script>')
    sys.argv = ['-'] + sys.argv[2:]
    env = {'__name__': '__main__', 'check': check, 'checked': checked, 'next_check': next_check, 'load': load, 'run': run,
           'json': json, 'os': os, 're': re, 'sys': sys}
    try:
        exec(compile(src, '<pychecks script>', 'exec'), env)
    except SystemExit as e:
        if e.code not in (None, 0):
            print('the script exited: %s' % e.code, file=sys.stderr)
            return 1
    except BaseException:
        traceback.print_exc()
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
