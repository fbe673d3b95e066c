#!/usr/bin/env python3
"""Counts test cases in meson's test log: every TAP "ok"/"not ok" line of the
GTest programs (a program that stopped early fails the cases it planned but
did not run), and one case for each test that does not speak TAP."""
import json
import re
import sys

passed = failed = 0
with open(sys.argv[1], encoding="utf-8") as log:
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
print(f"tests: {passed} passed, {failed} failed")
