#!/usr/bin/env python3
"""Checks Azure Policy definitions against what the policy definition
schema requires (https://learn.microsoft.com/azure/governance/policy/
concepts/definition-structure-basics and -policy-rule, -parameters):

- the object is {"name"?, "properties": {...}} or the properties alone;
- properties.mode is one of the resource manager modes (All, Indexed) or
  a resource provider mode;
- displayName (<= 128 characters) and description (<= 512) are strings;
- parameters: each has a type of String, Array, Object, Boolean, Integer,
  Float or DateTime, metadata.displayName, and a defaultValue and
  allowedValues of that type, the default among the allowed;
- policyRule has exactly "if" and "then"; "if" is a condition tree:
  allOf/anyOf (non-empty lists), not (one condition), or a leaf with one
  of field/value/count and exactly one condition operator;
- then.effect is a known effect, or [parameters('p')] of a String
  parameter whose allowedValues are all known effects (and the default one
  of them); effects that need details (deployIfNotExists, modify,
  auditIfNotExists, append, denyAction) have them;
- every parameters('p') used in the rule is defined, and every defined
  parameter is used.

Prints one line per problem and exits 1 when there is one, else 0.
usage: policycheck.py FILE...
"""
import json
import re
import sys

MODES = {"All", "Indexed"}
RP_MODES = {"Microsoft.Kubernetes.Data", "Microsoft.KeyVault.Data",
            "Microsoft.Network.Data", "Microsoft.ManagedHSM.Data",
            "Microsoft.DataFactory.Data", "Microsoft.MachineLearningServices.v2.Data",
            "Microsoft.LoadTestService.Data"}
TYPES = {"String": str, "Array": list, "Object": dict, "Boolean": bool,
         "Integer": int, "Float": (int, float), "DateTime": str}
EFFECTS = {"append", "audit", "auditifnotexists", "deny", "denyaction",
           "deployifnotexists", "disabled", "manual", "modify", "mutate"}
NEED_DETAILS = {"append", "auditifnotexists", "denyaction",
                "deployifnotexists", "modify", "mutate"}
OPERATORS = {"equals", "notEquals", "like", "notLike", "match",
             "matchInsensitively", "notMatch", "notMatchInsensitively",
             "contains", "notContains", "in", "notIn", "containsKey",
             "notContainsKey", "less", "lessOrEquals", "greater",
             "greaterOrEquals", "exists"}
SUBJECTS = {"field", "value", "count"}
PARAM_REF = re.compile(r"parameters\(\s*'([^']+)'\s*\)")


def refs(obj):
    """Every parameter name an expression in obj uses."""
    if isinstance(obj, str):
        return set(PARAM_REF.findall(obj)) if obj.startswith("[") else set()
    if isinstance(obj, dict):
        return set().union(*(refs(v) for v in obj.values())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(refs(v) for v in obj)) if obj else set()
    return set()


def check_condition(c, where, out):
    if not isinstance(c, dict) or not c:
        out.append("%s: a condition must be a non-empty object" % where)
        return
    logical = [k for k in ("allOf", "anyOf", "not") if k in c]
    if logical:
        if len(c) != 1:
            out.append("%s: %s must be alone in its object" %
                       (where, logical[0]))
            return
        k = logical[0]
        if k == "not":
            check_condition(c[k], where + ".not", out)
            return
        if not isinstance(c[k], list) or not c[k]:
            out.append("%s.%s: must be a non-empty list" % (where, k))
            return
        for i, sub in enumerate(c[k]):
            check_condition(sub, "%s.%s[%d]" % (where, k, i), out)
        return
    subjects = [k for k in c if k in SUBJECTS]
    ops = [k for k in c if k in OPERATORS]
    other = [k for k in c if k not in SUBJECTS and k not in OPERATORS]
    if len(subjects) != 1:
        out.append("%s: needs exactly one of field, value, count (has %s)" %
                   (where, subjects or "none"))
    if len(ops) != 1:
        out.append("%s: needs exactly one condition operator (has %s)" %
                   (where, ops or "none"))
    if other:
        out.append("%s: unknown keys %s" % (where, other))
    if "field" in c and not isinstance(c["field"], str):
        out.append("%s.field: must be a string" % where)
    if "count" in c:
        cnt = c["count"]
        if not isinstance(cnt, dict) or not ("field" in cnt or "value" in cnt):
            out.append("%s.count: needs field or value" % where)
        elif "where" in cnt:
            check_condition(cnt["where"], where + ".count.where", out)
    if ops and ops[0] in ("in", "notIn") and not (
            isinstance(c[ops[0]], list) or
            (isinstance(c[ops[0]], str) and c[ops[0]].startswith("["))):
        out.append("%s.%s: must be a list or an expression" % (where, ops[0]))


def check_parameters(params, out):
    if not isinstance(params, dict):
        out.append("properties.parameters: must be an object")
        return {}
    for name, p in params.items():
        w = "properties.parameters.%s" % name
        if not isinstance(p, dict):
            out.append("%s: must be an object" % w)
            continue
        t = p.get("type")
        if t not in TYPES:
            out.append("%s.type: %r is not one of %s" %
                       (w, t, sorted(TYPES)))
            continue
        md = p.get("metadata")
        if not isinstance(md, dict) or not isinstance(
                md.get("displayName"), str):
            out.append("%s.metadata.displayName: missing" % w)
        py = TYPES[t]
        allowed = p.get("allowedValues")
        if allowed is not None:
            if not isinstance(allowed, list) or not allowed:
                out.append("%s.allowedValues: must be a non-empty list" % w)
                allowed = None
            else:
                for v in allowed:
                    if t != "Array" and not isinstance(v, py):
                        out.append("%s.allowedValues: %r is not a %s" %
                                   (w, v, t))
        if "defaultValue" in p:
            d = p["defaultValue"]
            if not isinstance(d, py) or (t in ("Integer", "Float") and
                                         isinstance(d, bool)):
                out.append("%s.defaultValue: %r is not a %s" % (w, d, t))
            elif allowed is not None:
                vals = d if t == "Array" else [d]
                for v in vals:
                    if v not in allowed:
                        out.append("%s.defaultValue: %r is not allowed" %
                                   (w, v))
    return params


def check_effect(then, params, out):
    if not isinstance(then, dict) or "effect" not in then:
        out.append("properties.policyRule.then.effect: missing")
        return
    eff = then["effect"]
    if not isinstance(eff, str):
        out.append("properties.policyRule.then.effect: must be a string")
        return
    m = re.fullmatch(r"\[parameters\('([^']+)'\)\]", eff)
    if m:
        p = params.get(m.group(1))
        if p is None:
            out.append("then.effect: parameter %r is not defined" %
                       m.group(1))
            return
        if p.get("type") != "String":
            out.append("then.effect: parameter %r must be a String" %
                       m.group(1))
        values = p.get("allowedValues") or []
        if not values:
            out.append("then.effect: parameter %r needs allowedValues" %
                       m.group(1))
        for v in values:
            if not isinstance(v, str) or v.lower() not in EFFECTS:
                out.append("then.effect: %r is not an effect" % (v,))
        effects = [v.lower() for v in values if isinstance(v, str)]
    elif eff.lower() in EFFECTS:
        effects = [eff.lower()]
    else:
        out.append("then.effect: %r is not an effect" % eff)
        return
    if any(e in NEED_DETAILS for e in effects) and "details" not in then:
        out.append("then: effects %s need details" % effects)


def check(doc):
    out = []
    if not isinstance(doc, dict):
        return ["the definition must be an object"]
    props = doc.get("properties", doc)
    if not isinstance(props, dict):
        return ["properties: must be an object"]
    mode = props.get("mode")
    if mode not in MODES and mode not in RP_MODES:
        out.append("properties.mode: %r is not All, Indexed or a resource "
                   "provider mode" % (mode,))
    for key, limit in (("displayName", 128), ("description", 512)):
        v = props.get(key)
        if not isinstance(v, str) or not v or len(v) > limit:
            out.append("properties.%s: a string of 1 to %d characters" %
                       (key, limit))
    params = check_parameters(props.get("parameters", {}), out)
    rule = props.get("policyRule")
    if not isinstance(rule, dict):
        out.append("properties.policyRule: missing")
        return out
    if set(rule) != {"if", "then"}:
        out.append("properties.policyRule: must have exactly if and then "
                   "(has %s)" % sorted(rule))
    if "if" in rule:
        check_condition(rule["if"], "properties.policyRule.if", out)
    else:
        out.append("properties.policyRule.if: missing")
    check_effect(rule.get("then"), params, out)
    used = refs(rule)
    for name in sorted(used - set(params)):
        out.append("policyRule uses parameters('%s'), which is not "
                   "defined" % name)
    for name in sorted(set(params) - used):
        out.append("parameter %r is never used" % name)
    return out


def main(argv):
    bad = 0
    for path in argv[1:]:
        try:
            with open(path) as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print("%s: %s" % (path, e))
            bad += 1
            continue
        for problem in check(doc):
            print("%s: %s" % (path, problem))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
