#!/usr/bin/env python3
"""Limits: a plan at the edge of what people make, imported and exported
with every kind and format, timed, and checked for truncation.

    limits.py UPGRADE_PLANNER [--timeout SECONDS]

Project 1 has 100,000 risks and a retrospective, and its name, one risk's
title, one team member's name and one step's title are as long as a name may be
(500 characters, docs/plan-format.md; they were 1 MB before names had a
limit, and bench/limits-plan.sh now times every text at its limit); project 2
has 10,000 SOP steps in one phase. Prints the time of the import and of
each export (a command that runs longer than --timeout is stopped and
reported) and, with a display, of the window's first frame on the file,
and checks that the long names come back byte for byte in the
plan export, and whole in the exports that show them.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument('bin')
parser.add_argument('--timeout', type=float, default=300)
opts = parser.parse_args()
BIN = os.path.abspath(opts.bin)

MB = 1 << 20
def big(tag):
    """The longest name allowed: 500 characters (ASCII and CJK, no
    characters any format escapes)."""
    unit = tag + ' 大型升级计划 '
    return (unit * (500 // len(unit) + 1))[:499] + 'x'

names = {
    'project': big('Project'),
    'risk': big('Risk'),
    'member': big('Member'),
    'step': big('Step'),
}

def ts(i):
    return '2026-12-%02dT%02d:00:00Z' % (1 + i % 28, i % 24)

risks = [{'title': 'Risk %d' % i, 'category': 'other', 'likelihood': 1 + i % 5, 'impact': 1 + (i // 5) % 5,
          'residual_likelihood': None, 'residual_impact': None, 'mitigation': 'Mitigation %d' % i,
          'contingency': '', 'owner': None, 'status': 'open'} for i in range(100000)]
risks[0]['title'] = names['risk']
huge = {
    'name': names['project'], 'kind': 'feature', 'status': 'planning',
    'team': [{'name': names['member'], 'email': None, 'role': 'project_manager', 'responsibilities': ''}],
    'stakeholder_groups': [{'name': 'Everyone', 'audience': 'All users', 'addresses': ['all@example.org']}],
    'risks': risks,
    'sop': [{'phase': 'go_live', 'title': names['step'], 'details': '', 'owner_role': None, 'required': True,
             'checked_at': None, 'checked_by': None, 'note': ''}],
    'retrospective': {'held_on': '2026-12-10', 'facilitator': None, 'actual_start': None, 'actual_end': None,
                      'downtime_minutes': 3, 'rollback_used': False, 'incidents': 0, 'summary': 'Summary',
                      'items': [{'kind': 'lesson', 'text': 'Lesson', 'owner': None, 'due': None, 'done': False}]},
}
steps = {
    'name': 'Ten thousand steps', 'kind': 'infrastructure', 'status': 'planning',
    'sop': [{'phase': 'go_live', 'title': 'Step %d' % i, 'details': 'Details of step %d' % i,
             'owner_role': 'devops', 'required': i % 3 != 0, 'checked_at': None, 'checked_by': None,
             'note': ''} for i in range(10000)],
}
doc = {'format': 'upgrade-planner', 'version': 1, 'projects': [huge, steps]}

work = tempfile.mkdtemp(prefix='upg-limits-')
problems = []
try:
    plan_in = os.path.join(work, 'limits.json')
    with open(plan_in, 'w', encoding='utf-8') as f:
        json.dump(doc, f, ensure_ascii=False)
    db = os.path.join(work, 'limits.upgplan')
    size_mb = os.path.getsize(plan_in) / MB

    def run(args, out_path=None):
        t0 = time.time()
        try:
            proc = subprocess.run([BIN] + args, capture_output=True, timeout=opts.timeout)
        except subprocess.TimeoutExpired:
            return None, time.time() - t0, b'', b'stopped after %.0f s' % opts.timeout
        return proc.returncode, time.time() - t0, proc.stdout, proc.stderr

    rc, secs, out, err = run(['import', '--db', db, plan_in])
    print('plan: 2 projects, 100,000 risks in one, 10,000 SOP steps in one phase, four 500-character names (%.1f MB of JSON)'
          % size_mb)
    print('%-30s %8.2f s  %s' % ('import', secs, 'ok' if rc == 0 else 'FAILED: ' + err.decode(errors='replace')))
    if rc != 0:
        sys.exit(1)
    print('%-30s %8.1f MB' % ('plan file', os.path.getsize(db) / MB))

    help_text = subprocess.run([BIN, '--help'], capture_output=True, text=True).stdout
    kinds, listing = [], False
    for line in help_text.splitlines():
        if line.startswith('Export kinds and formats'):
            listing = True
        elif listing and line.startswith('  '):
            kind, *formats = line.split()
            kinds += [(kind, fmt) for fmt in formats]

    for kind, fmt in kinds:
        for project in ([None] if kind in ('plan', 'insights') else [1, 2]):
            args = ['export', kind, '--db', db, '--format', fmt]
            label = '%s %s' % (kind, fmt)
            if project:
                args += ['--project', str(project)]
                label += ' (project %d)' % project
            if kind == 'email':
                args += ['--template', 'advance_notice']
            target = os.path.join(work, 'out')
            rc, secs, out, err = run(args + ['-o', target])
            if rc is None:
                print('%-30s %8.2f s  %s' % (label, secs, err.decode()))
                problems.append('%s: %s' % (label, err.decode()))
                continue
            if rc != 0:
                print('%-30s %8.2f s  exit %d: %s' % (label, secs, rc, err.decode(errors='replace').strip()[:120]))
                continue
            size = os.path.getsize(target)
            note = ''
            if fmt in ('md', 'html', 'csv', 'txt', 'json') and project == 1 and kind in ('risks', 'sop', 'report'):
                with open(target, encoding='utf-8') as f:
                    text = f.read()
                want = {'risks': ['risk'], 'sop': ['step'], 'report': ['project']}[kind]
                missing = [w for w in want if names[w] not in text]
                note = 'the long %s whole' % ', '.join(want) if not missing else 'TRUNCATED: ' + ', '.join(missing)
                if missing:
                    problems.append('%s: %s' % (label, note))
            if kind == 'plan':
                with open(target, encoding='utf-8') as f:
                    back = json.load(f)['projects']
                got = {'project': back[0]['name'], 'risk': back[0]['risks'][0]['title'],
                       'member': back[0]['team'][0]['name'], 'step': back[0]['sop'][0]['title']}
                same = [k for k in names if got[k].encode() == names[k].encode()]
                counts = (len(back[0]['risks']), len(back[1]['sop']))
                note = '%d/4 long names byte-identical, %d risks, %d steps' % (len(same), counts[0], counts[1])
                if len(same) != 4 or counts != (100000, 10000):
                    problems.append('plan export: ' + note)
            print('%-30s %8.2f s  %9.1f KB  %s' % (label, secs, size / 1024, note))
            os.unlink(target)
    # The window on the same file: its first frame and the first frame with
    # the Overview filled in (as bench/window-startup.py measures them).
    if os.environ.get('DISPLAY'):
        env = dict(os.environ, UPG_BENCH_EXIT_ON_MAP='1', GSETTINGS_BACKEND='memory', GTK_A11Y='none',
                   GSETTINGS_SCHEMA_DIR=os.path.join(os.path.dirname(os.path.dirname(BIN)), 'data'))
        start = time.time()
        try:
            proc = subprocess.run([BIN, db], env=env, capture_output=True, text=True, timeout=opts.timeout)
            marks = {}
            for line in proc.stdout.splitlines():
                if line.startswith('UPG_BENCH '):
                    _, what, usec = line.split()
                    marks[what] = int(usec) / 1e6 - start
            if 'mapped' in marks and 'content' in marks:
                print('%-30s %8.2f s  (Overview filled: %.2f s)' % ('window visible', marks['mapped'], marks['content']))
            else:
                print('window: no frame (%s)' % proc.stderr.strip()[:200])
        except subprocess.TimeoutExpired:
            print('window: no frame after %.0f s' % opts.timeout)
            problems.append('window: no frame after %.0f s' % opts.timeout)
    else:
        print('window: not measured (no display; run under xvfb-run -a)')
    print('problems: %d' % len(problems))
    for p in problems:
        print('  ' + p)
finally:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if problems else 0)
