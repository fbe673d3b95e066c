#!/usr/bin/env python3
"""Counts test cases in meson test logs and prints "tests: N passed, N failed".

    count-tests.py LOG.json [LOG.json …] [--failed WHAT …]

Each LOG is a meson testlog.json (or tests/fuzz/run.sh's fuzz-testlog.json,
the same format): every TAP "ok"/"not ok" line of the GTest programs counts
(a program that stopped early fails the cases it planned but did not run),
and one case for each test that does not speak TAP. A LOG that does not
exist counts as one failed case (its stage did not run), and so does each
--failed WHAT (a stage that failed before it could test anything)."""
import json
import re
import sys


def count(path):
    passed = failed = 0
    with open(path, encoding="utf-8") as log:
        for line in log:
            if not line.strip():
                continue
            test = json.loads(line)
            out = test.get("stdout") or test.get("stdo") or ""
            oks = len(re.findall(r"^ok \d+", out, re.M))
            not_oks = len(re.findall(r"^not ok \d+", out, re.M))
            plan = re.search(r"^1\.\.(\d+)", out, re.M)
            if plan or oks or not_oks:
                planned = int(plan.group(1)) if plan else oks + not_oks
                passed += oks
                failed += not_oks + max(0, planned - oks - not_oks)
                if test.get("result") not in ("OK", "EXPECTEDFAIL", "SKIP") and not_oks == 0 and planned == oks:
                    failed += 1  # crashed after its last case
            elif test.get("result") in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif test.get("result") != "SKIP":
                failed += 1
    return passed, failed


passed = failed = 0
args = sys.argv[1:]
while args:
    arg = args.pop(0)
    if arg == "--failed":
        args.pop(0)
        failed += 1
        continue
    try:
        p, f = count(arg)
    except FileNotFoundError:
        p, f = 0, 1
    passed += p
    failed += f
print(f"tests: {passed} passed, {failed} failed")
