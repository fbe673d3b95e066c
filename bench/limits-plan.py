#!/usr/bin/env python3
"""The largest texts a plan may hold (issue 17, case 8), exported in every
kind and format, timed.

    limits-plan.py UPGRADE_PLANNER [--items N] [--budget SECONDS]

One project in which every text field is at its documented maximum
(docs/plan-format.md: 500 characters for a name or title, 100,000 for a long
text), with N (default 3) records in every list: scope items, milestones,
risks, team members, groups, SOP steps in every phase (each with a history
entry), retrospective items, an email template. Long texts alternate
between one unbroken 100,000-character word (the worst case for line
breaking) and CJK text with spaces. Then one character more is refused by
import, naming the path. Prints the time of import, list, check and of each
export; exits 1 when one takes longer than --budget (default 5) seconds or
fails. Run it on a machine nobody else is using: the wall time counts
waiting for a core too (the CPU time each command used is printed beside
it).
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument('bin')
parser.add_argument('--items', type=int, default=3)
parser.add_argument('--budget', type=float, default=5.0)
opts = parser.parse_args()
BIN = os.path.abspath(opts.bin)

LINE = 500
LONG = 100000
counter = [0]


def text(n):
    """n characters: an unbroken word or CJK text with spaces, in turn."""
    counter[0] += 1
    if counter[0] % 2:
        unit = 'w%d' % counter[0]
        return (unit + 'x' * n)[:n]
    unit = '大型升级计划 abc '
    return (unit * (n // len(unit) + 1))[:n]


def line():
    return text(LINE)


def long():
    return text(LONG)


N = opts.items
PHASES = ['planning', 'preparation', 'build', 'validation', 'gray_release', 'go_live', 'notification',
          'retrospective', 'rollback']
team = [{'name': line(), 'email': 'member%d@example.org' % i, 'phone': line(), 'role': 'devops',
         'responsibilities': long()} for i in range(N)]
owner = team[0]['name']
project = {
    'name': line(), 'kind': 'feature', 'status': 'validating',
    'goal': long(), 'scope': long(), 'impact': long(),
    'version_from': line(), 'version_to': line(), 'build_id': line(),
    'window_start': '2026-12-05T01:00:00Z', 'window_end': '2026-12-05T03:00:00Z', 'time_zone': 'Asia/Shanghai',
    'scope_items': [{'module': line(), 'change': long(), 'impact': 'high', 'needs_data_migration': True}
                    for _ in range(N)],
    'milestones': [{'title': line(), 'kind': 'custom', 'due': '2026-12-0%d' % (1 + i % 9), 'done': None}
                   for i in range(N)],
    'risks': [{'title': line(), 'category': 'other', 'likelihood': 1 + i % 5, 'impact': 1 + (i * 2) % 5,
               'residual_likelihood': 1, 'residual_impact': 1, 'mitigation': long(), 'contingency': long(),
               'owner': owner, 'status': 'open'} for i in range(N)],
    'team': team,
    'stakeholder_groups': [{'name': line(), 'audience': long(), 'internal': i % 2 == 0,
                            'addresses': ['group%d@example.org' % i], 'language': 'en',
                            'moments': ['advance_notice', 'started', 'completed']} for i in range(N)],
    'email_templates': [{'moment': 'advance_notice', 'language': 'en', 'subject': line(), 'body': long()}],
    'sop': [{'phase': PHASES[(i // N) % len(PHASES)], 'title': line(), 'details': long(), 'owner_role': 'devops',
             'required': True, 'checked_at': '2026-12-05T01:10:00Z', 'checked_by': owner, 'note': long(),
             'history': [{'action': 'check', 'by': owner, 'at': '2026-12-05T01:10:00Z', 'note': long()}]}
            for i in range(N * len(PHASES))],
    'retrospective': {'held_on': '2026-12-10', 'facilitator': line(), 'actual_start': '2026-12-05T01:05:00Z',
                      'actual_end': '2026-12-05T02:40:00Z', 'downtime_minutes': 3, 'rollback_used': False,
                      'incidents': 1, 'root_cause': long(), 'detection': long(), 'summary': long(),
                      'items': [{'kind': ['went_well', 'went_wrong', 'lesson', 'action'][i % 4], 'text': long(),
                                 'owner': owner, 'due': '2026-12-20', 'done': False, 'ticket': line()}
                                for i in range(N)]},
}
doc = {'format': 'upgrade-planner', 'version': 3, 'projects': [project]}

work = tempfile.mkdtemp(prefix='upg-limits-plan-')
problems = []


def cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args):
    """Exit status, (wall, CPU) seconds and standard error of a command."""
    t0, c0 = time.time(), cpu()
    try:
        proc = subprocess.run([BIN] + args, capture_output=True, timeout=max(60, opts.budget * 4))
    except subprocess.TimeoutExpired:
        return None, (time.time() - t0, cpu() - c0), b'stopped'
    return proc.returncode, (time.time() - t0, cpu() - c0), proc.stderr


def report(label, rc, secs, err, extra=''):
    """The wall time, and the CPU time (user + system) the command took: on
    a machine others share, the wall time also counts waiting for a core."""
    wall, used = secs
    ok = rc == 0 and wall < opts.budget
    print('%-22s %7.2f s  (CPU %5.2f s)  %s' % (label, wall, used, extra if rc == 0 else 'FAILED: ' +
                                                err.decode(errors='replace').strip()[:160]))
    if not ok:
        problems.append('%s: %.2f s (CPU %.2f s)%s' % (label, wall, used, '' if rc == 0 else ', exit %s' % rc))


try:
    plan_in = os.path.join(work, 'limits-plan.json')
    with open(plan_in, 'w', encoding='utf-8') as f:
        json.dump(doc, f, ensure_ascii=False)
    db = os.path.join(work, 'limits-plan.upgplan')
    print('plan: every text at its maximum (names %d, long texts %d characters), %d of each record, '
          '%.1f MB of JSON' % (LINE, LONG, N, os.path.getsize(plan_in) / (1 << 20)))
    rc, secs, err = run(['import', '--db', db, plan_in])
    report('import', rc, secs, err)
    if rc != 0:
        sys.exit(1)
    print('%-22s %7.1f MB' % ('plan file', os.path.getsize(db) / (1 << 20)))
    for label, args in (('list', ['list', '--db', db]), ('check', ['check', '--db', db])):
        rc, secs, err = run(args)
        # check exits 1 on warnings about the plan itself; only a refusal counts.
        if label == 'check' and rc == 1 and b'longer than' not in err:
            rc = 0
        report(label, rc, secs, err)

    help_text = subprocess.run([BIN, '--help'], capture_output=True, text=True).stdout
    kinds, listing = [], False
    for help_line in help_text.splitlines():
        if help_line.startswith('Export kinds and formats'):
            listing = True
        elif listing and help_line.startswith('  '):
            kind, *formats = help_line.split()
            kinds += [(kind, fmt) for fmt in formats]
        elif listing:
            break
    for kind, fmt in kinds:
        target = os.path.join(work, 'out')
        args = ['export', kind, '--db', db, '--format', fmt, '-o', target]
        if kind not in ('plan', 'insights'):
            args += ['--project', '1']
        if kind == 'email':
            args += ['--template', 'advance_notice', '--force']
        rc, secs, err = run(args)
        size = os.path.getsize(target) if rc == 0 else 0
        report('%s %s' % (kind, fmt), rc, secs, err, '%8.1f KB' % (size / 1024))
        if rc == 0:
            os.unlink(target)

    # One character more is refused, naming the path.
    project['goal'] = 'g' * (LONG + 1)
    with open(plan_in, 'w', encoding='utf-8') as f:
        json.dump(doc, f, ensure_ascii=False)
    rc, secs, err = run(['import', '--db', os.path.join(work, 'over.upgplan'), plan_in])
    want = b'projects[0].goal: must not be longer than 100000 characters'
    print('%-22s %7.2f s  %s' % ('import, goal +1', secs[0], err.decode(errors='replace').strip()))
    if rc != 1 or want not in err:
        problems.append('a goal one character over the limit was not refused by its path')
    print('problems: %d' % len(problems))
    for p in problems:
        print('  ' + p)
finally:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if problems else 0)
