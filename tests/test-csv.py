#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every CSV export opens right where people open it: the spreadsheet form
starts with a UTF-8 byte order mark and parses with Python's csv module
into rows as wide as the header; --machine-csv has no mark and the plan
format's words. Prints TAP.

    test-csv.py UPGRADE-PLANNER DATA-DIR
"""
import csv
import io
import os
import subprocess
import sys
import tempfile

BIN, DATA = sys.argv[1], sys.argv[2]
BOM = b'\xef\xbb\xbf'

# kind, plan, --project, the spreadsheet header, the machine header
CASES = [
    ('risks', 'sample-plan.json', True,
     ['Title', 'Category', 'Likelihood', 'Impact', 'Score', 'Level', 'Residual Score', 'Owner', 'Status',
      'Mitigation', 'Contingency'],
     ['title', 'category', 'likelihood', 'impact', 'score', 'level', 'residual_score', 'owner', 'status',
      'mitigation', 'contingency']),
    ('sop', 'sample-plan.json', True,
     ['Phase', 'Title', 'Details', 'Owner Role', 'Required', 'Done', 'Checked At', 'Checked By', 'Note', 'State',
      'History'],
     ['phase', 'title', 'details', 'owner_role', 'required', 'done', 'checked_at', 'checked_by', 'note', 'state',
      'history']),
    ('milestones', 'sample-plan.json', True,
     ['Calendar ID', 'Kind', 'Title', 'Start', 'End', 'Done', 'Rollout Percent', 'Status', 'Sequence'],
     ['uid', 'kind', 'title', 'start', 'end', 'done', 'rollout_percent', 'status', 'sequence']),
    ('retro', 'retro-plan.json', True,
     ['Action', 'Owner', 'Due', 'Ticket', 'Done', 'Carried To'],
     ['text', 'owner', 'due', 'ticket', 'done', 'carried_to']),
    ('insights', 'retro-plan.json', False,
     ['Figure', 'Subject', 'Project', 'Value', 'Total', 'Owner', 'Due', 'Overdue'],
     ['figure', 'subject', 'project', 'value', 'total', 'owner', 'due', 'overdue']),
]

env = dict(os.environ, LANGUAGE='en', LC_ALL='C.UTF-8', UPG_NOW='2026-11-25T12:00:00Z')
n = 0
failed = 0


def check(ok, name, why=''):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print('%s %d - %s%s' % ('ok' if ok else 'not ok', n, name, '' if ok else ' # ' + why))


def export(db, kind, project, machine):
    args = [BIN, 'export', kind, '--db', db, '--format', 'csv']
    if project:
        args += ['--project', '1']
    if machine:
        args.append('--machine-csv')
    return subprocess.run(args, env=env, capture_output=True, check=True).stdout


print('1..%d' % (len(CASES) * 2 + 1))
with tempfile.TemporaryDirectory() as tmp:
    for kind, plan, project, header, machine_header in CASES:
        db = os.path.join(tmp, plan + '.upgplan')
        if not os.path.exists(db):
            subprocess.run([BIN, 'import', '--db', db, os.path.join(DATA, plan)], env=env,
                           capture_output=True, check=True)
        data = export(db, kind, project, False)
        rows = list(csv.reader(io.StringIO(data.decode('utf-8-sig'), newline='')))
        check(data.startswith(BOM) and rows[0] == header and len(rows) > 1
              and all(len(r) == len(header) for r in rows),
              '%s: spreadsheet form' % kind, repr(data[:80]) + ' ' + repr(rows[0]))
        data = export(db, kind, project, True)
        rows = list(csv.reader(io.StringIO(data.decode('utf-8'), newline='')))
        check(not data.startswith(BOM) and rows[0] == machine_header
              and all(len(r) == len(machine_header) for r in rows),
              '%s: machine form' % kind, repr(data[:80]))
    # Only CSV takes --machine-csv.
    db = os.path.join(tmp, 'sample-plan.json.upgplan')
    done = subprocess.run([BIN, 'export', 'risks', '--db', db, '--project', '1', '--format', 'md', '--machine-csv'],
                          env=env, capture_output=True)
    check(done.returncode == 2 and done.stdout == b'' and b'--machine-csv is only for CSV' in done.stderr,
          '--machine-csv refused for md', repr(done))
print('# %d passed, %d failed' % (n - failed, failed))
sys.exit(1 if failed else 0)
