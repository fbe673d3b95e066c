#!/usr/bin/env python3
"""Counts test cases in meson test logs and prints "tests: N passed, N failed".

    count-tests.py LOG.json [LOG.json …] [--failed WHAT …]

Each LOG is a meson testlog.json (or tests/fuzz/run.sh's fuzz-testlog.json,
the same format): every TAP "ok"/"not ok" line of the GTest programs counts
(a program that stopped early fails the cases it planned but did not run),
and one case for each test that does not speak TAP. A LOG that does not
exist counts as one failed case (its stage did not run), and so does each
--failed WHAT (a stage that failed before it could test anything).

A skip is not a pass. Skipped cases ("ok N … # SKIP reason", or a whole
test meson reports as SKIP) are counted and printed on their own. A skip
listed in build-aux/allowed-skips (one "TEST CASE — reason" a line) is
neither passed nor failed; any other skip fails."""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def allowed_skips():
    allowed = {}
    path = os.path.join(HERE, "allowed-skips")
    if not os.path.exists(path):
        return allowed
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, reason = line.partition(" — ")
            if not reason.strip():
                sys.exit(f"count-tests: {path}: “{line}” gives no reason")
            allowed[key.strip()] = reason.strip()
    return allowed


def count(path, skips):
    passed = failed = 0
    with open(path, encoding="utf-8") as log:
        for line in log:
            if not line.strip():
                continue
            test = json.loads(line)
            name = test.get("name", "?")
            out = test.get("stdout") or test.get("stdo") or ""
            skipped = re.findall(r"^ok \d+ (\S*).*# SKIP(.*)$", out, re.M)
            oks = len(re.findall(r"^ok \d+", out, re.M)) - len(skipped)
            not_oks = len(re.findall(r"^not ok \d+", out, re.M))
            plan = re.search(r"^1\.\.(\d+)", out, re.M)
            for case, reason in skipped:
                skips.append((name, case, reason.strip()))
            if plan or oks or not_oks or skipped:
                planned = int(plan.group(1)) if plan else oks + not_oks + len(skipped)
                passed += oks
                failed += not_oks + max(0, planned - oks - not_oks - len(skipped))
                if test.get("result") not in ("OK", "EXPECTEDFAIL", "SKIP") and not_oks == 0 \
                        and planned == oks + len(skipped):
                    failed += 1  # crashed after its last case
            elif test.get("result") in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif test.get("result") == "SKIP":
                skips.append((name, "", "the whole test"))
            else:
                failed += 1
    return passed, failed


def main():
    passed = failed = 0
    skips = []
    args = sys.argv[1:]
    while args:
        arg = args.pop(0)
        if arg == "--failed":
            args.pop(0)
            failed += 1
            continue
        try:
            p, f = count(arg, skips)
        except FileNotFoundError:
            p, f = 0, 1
        passed += p
        failed += f
    allowed = allowed_skips()
    if skips:
        print(f"skipped: {len(skips)}")
    for name, case, reason in skips:
        key = f"{name} {case}".strip()
        if key in allowed:
            print(f"  skipped (allowed: {allowed[key]}): {key}: {reason}")
        else:
            print(f"  skipped, not on build-aux/allowed-skips, counted as failed: {key}: {reason}")
            failed += 1
    print(f"tests: {passed} passed, {failed} failed")


main()
