#!/usr/bin/env python3
"""Crash safety: SIGKILL the command line at random moments while it imports,
exports and checks SOP steps, and after every round make sure the plan file
is whole and holds every write that was reported committed.

    kill-rounds.py [--rounds N] [--bin UPGRADE_PLANNER] [--seed S]

Each round runs one command on the same plan file, kills it after a random
time from 0 to 1.2 times what the command takes when left alone (so some
rounds finish), then checks:
  - `upgrade-planner check` passes (PRAGMA integrity_check, foreign keys);
  - an import is all or nothing: the file holds either none or all of its
    projects; every id an import printed (exit 0) is in `list`;
  - a SOP check that exited 0 shows in the SOP export;
  - an export's -o file is either the old file or the whole new one, byte
    for byte (the clock is pinned with UPG_NOW, so an export is the same
    bytes every time);
  - no temporary file is left beside the plan or the export (exports write
    to a file without a name until it is whole).
The seed is fixed (--seed changes it) and printed, so a failing run can be
replayed; the first round is killed halfway through its command, and a run
that killed nothing fails. Prints the figures; exits 1 if any round broke a
rule.
"""
import argparse
import csv
import io
import json
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument('--rounds', type=int, default=100)
parser.add_argument('--bin', default=os.path.join(here, '..', '_build', 'src', 'upgrade-planner'))
parser.add_argument('--seed', type=int, default=20261125)
opts = parser.parse_args()
BIN = os.path.abspath(opts.bin)
seed = opts.seed
rnd = random.Random(seed)
print('kill-rounds: seed %d (replay with --seed %d)' % (seed, seed), flush=True)
# Exports are compared byte for byte: the same instant for every command.
os.environ.setdefault('UPG_NOW', '2026-11-25T12:00:00Z')


def cli(*args, check=True):
    out = subprocess.run([BIN] + list(args), capture_output=True, text=True)
    if check and out.returncode != 0:
        sys.exit('%s failed: %s' % (' '.join(args), out.stderr))
    return out


def sha(path):
    if not os.path.exists(path):
        return None
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def project_ids(db):
    out = cli('list', '--db', db)
    return {int(line.split('\t')[0]) for line in out.stdout.splitlines() if line.strip()}


def step_checked(db, project, step):
    """Whether SOP step @step (1 is the first by position) is checked. The
    export groups steps by phase; genplan.py names step k "Step k-1 …"."""
    out = cli('export', 'sop', '--db', db, '--project', str(project), '--format', 'csv', '--machine-csv')
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    title = 'Step %d 步骤' % (step - 1)
    row = next(r for r in rows if r['title'] == title)
    return row['done'] == 'true'


work = tempfile.mkdtemp(prefix='upg-kill-')
try:
    db = os.path.join(work, 'plan.upgplan')
    plan_in = os.path.join(work, 'in.json')
    generated = json.loads(subprocess.run(['/usr/bin/python3', os.path.join(here, 'genplan.py'), '40'],
                                          stdout=subprocess.PIPE, check=True).stdout)
    # Without uids every import adds new projects (with them a second import
    # of the same plan is refused).
    for project in generated['projects']:
        project.pop('uid', None)
        for item in (project.get('retrospective') or {}).get('items', []):
            item['carried_to'] = None
    with open(plan_in, 'w') as f:
        json.dump(generated, f, ensure_ascii=False)
    with open(plan_in) as f:
        batch = f.read().count('"name": "Upgrade ')
    cli('import', '--db', db, plan_in)
    target = os.path.join(work, 'out')

    ops = ['import', 'export plan', 'export sop pdf', 'export report html', 'sop check']
    if 'sop check' not in cli('--help').stdout:
        ops.remove('sop check')

    def command(op):
        if op == 'import':
            return ['import', '--db', db, plan_in]
        if op == 'export plan':
            return ['export', 'plan', '--db', db, '-o', target]
        if op == 'export sop pdf':
            return ['export', 'sop', '--db', db, '--project', '1', '--format', 'pdf', '-o', target]
        if op == 'export report html':
            return ['export', 'report', '--db', db, '--project', '1', '--format', 'html', '-o', target]
        project = rnd.choice(sorted(project_ids(db)))
        step = rnd.randrange(1, 31)
        action = rnd.choice(['check', 'uncheck'])
        args = ['sop', action, '--db', db, '--project', str(project), '--step', str(step), '--by', 'Kill Round']
        if action == 'uncheck':
            args += ['--note', 'undone by a kill round']
        return args

    # How long each command takes when left alone.
    duration = {}
    for op in ops:
        t0 = time.time()
        cli(*command(op), check=False)
        duration[op] = time.time() - t0

    stats = {op: {'rounds': 0, 'killed': 0, 'finished': 0} for op in ops}
    problems, leftovers = [], 0
    committed_ids = set(project_ids(db))
    for n in range(1, opts.rounds + 1):
        op = rnd.choice(ops)
        args = command(op)
        ids_before = project_ids(db)
        target_before = sha(target)
        files_before = set(os.listdir(work))
        delay = rnd.uniform(0, duration[op] * 1.2)
        if n == 1:
            # At least one command is killed while it works.
            delay = duration[op] * 0.5
        proc = subprocess.Popen([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        stats[op]['rounds'] += 1
        stats[op]['killed' if killed else 'finished'] += 1
        where = 'round %d (%s, %s after %.0f ms)' % (n, op, 'killed' if killed else 'exit %d' % proc.returncode,
                                                      delay * 1000)

        check = cli('check', '--db', db, check=False)
        if check.returncode != 0:
            problems.append('%s: check failed: %s' % (where, check.stderr.strip()))
            break
        ids_after = project_ids(db)
        if not committed_ids <= ids_after:
            problems.append('%s: committed projects lost: %s' % (where, sorted(committed_ids - ids_after)))
        if op == 'import':
            new = ids_after - ids_before
            if len(new) not in (0, batch):
                problems.append('%s: %d of the %d projects of an import are in the file' % (where, len(new), batch))
            if not killed and proc.returncode == 0:
                printed = {int(x) for x in out.split()}
                if printed != new:
                    problems.append('%s: printed ids %s, the file gained %s' % (where, sorted(printed), sorted(new)))
            committed_ids |= new
        elif op.startswith('export'):
            after = sha(target)
            if after != target_before:
                # Not the old file: it must be the whole new one.
                fresh = os.path.join(work, 'fresh')
                cli(*(args[:-1] + [fresh]))
                if sha(fresh) != after:
                    problems.append('%s: the -o file is neither the old nor the new export' % where)
                os.unlink(fresh)
            elif not killed and proc.returncode == 0 and target_before is None:
                problems.append('%s: exit 0 but no -o file' % where)
        elif op == 'sop check' and not killed and proc.returncode == 0:
            project, step = int(args[args.index('--project') + 1]), int(args[args.index('--step') + 1])
            if step_checked(db, project, step) != (args[1] == 'check'):
                problems.append('%s: a %s reported done is not in the file' % (where, args[1]))
        extra = set(os.listdir(work)) - files_before - {'out', 'plan.upgplan-wal', 'plan.upgplan-shm'}
        if extra:
            leftovers += len(extra)
            problems.append('%s: left behind: %s' % (where, ', '.join(sorted(extra))))
            for name in extra:
                os.unlink(os.path.join(work, name))

    total = sum(s['rounds'] for s in stats.values())
    killed = sum(s['killed'] for s in stats.values())
    print('kill rounds: %d (seed %d), %d killed mid-run, %d finished first' % (total, seed, killed, total - killed))
    for op in ops:
        s = stats[op]
        print('  %-20s %3d rounds, %3d killed, %3d finished (alone it takes %.0f ms)' % (
            op + ':', s['rounds'], s['killed'], s['finished'], duration[op] * 1000))
    print('projects in the file at the end: %d (every committed one: %s)' % (
        len(project_ids(db)), 'yes' if committed_ids <= project_ids(db) else 'NO'))
    print('integrity_check after every round: %s' % ('ok' if not any('check failed' in p for p in problems) else 'FAILED'))
    print('temporary files left behind: %d' % leftovers)
    if killed == 0:
        problems.append('no round killed a command while it ran: nothing was tested')
    print('problems: %d' % len(problems))
    for p in problems[:20]:
        print('  ' + p)
    sys.exit(1 if problems else 0)
finally:
    shutil.rmtree(work, ignore_errors=True)
