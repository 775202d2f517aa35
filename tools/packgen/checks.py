"""Builders of the pack format's pieces (hardening/rules/README.md),
shared by the generators: a condition on an item's field, a probe check,
a fix by an action, a manual fix.  Key order is the packs' own: the
checked-in JSON is made from these and compared byte for byte (make
check-packs).
"""


def c(field, op, value=None, **kw):
    """A condition: field op value, with extras (e.g. list)."""
    d = {'field': field, 'op': op}
    if value is not None:
        d['value'] = value
    d.update(kw)
    return d


def probe(name, params, expect=None, **kw):
    """A check by probe name with params, its conditions and extras
    (quantifier, filter, empty...)."""
    d = {'probe': name, 'params': params}
    if expect is not None:
        d['expect'] = expect
    d.update(kw)
    return d


def fix(action, **params):
    return {'action': action, 'params': params}


def manual(text):
    return {'manual': text}
