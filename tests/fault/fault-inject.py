#!/usr/bin/env python3
"""Fault injection: every writing command of the command line, with the Nth
write (or fsync, or rename) failing with ENOSPC, for N = 1, 2, 3, … until the
command succeeds.

    fault-inject.py UPGRADE_PLANNER FAILWRITE.so DATA_DIR

After each run the command has either succeeded completely (exit 0, the
result is all there) or left every file exactly as it was: the plan file and
the -o target have the same SHA-256 as before, the folder holds the same
files (no temporary file, no -wal or -shm left behind), and the plan file
passes PRAGMA integrity_check. Prints TAP, one case per command.
"""
import hashlib
import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

BIN, SHIM, DATA = (os.path.abspath(a) for a in sys.argv[1:4])
SAMPLE = os.path.join(DATA, 'sample-plan.json')
# The plan file the exports and checks start from: projects with a
# retrospective, so every export kind has something to write.
BASE = os.path.join(DATA, 'retro-plan.json')
# Imported into a file that holds the sample: a version 1 plan has no uid, so
# it is a new project each time.
SAMPLE_V1 = os.path.join(DATA, 'sample-plan-v1.json')
MAX_RUNS = 2000


def run(args, cwd, fail_at=0, report=None):
    env = dict(os.environ)
    env['LD_PRELOAD'] = SHIM
    env['UPG_FAIL_AT'] = str(fail_at)
    if report:
        env['UPG_FAIL_REPORT'] = report
    # The sanitizer runtime must come first when the program has one.
    asan = env.get('UPG_ASAN_RUNTIME')
    if asan:
        env['LD_PRELOAD'] = asan + ':' + SHIM
    return subprocess.run([BIN] + args, cwd=cwd, env=env, capture_output=True, timeout=120)


def sha(path):
    if not os.path.exists(path):
        return None
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def snapshot(folder):
    """Every file in the folder with its SHA-256."""
    return {name: sha(os.path.join(folder, name)) for name in sorted(os.listdir(folder))}


def integrity(db):
    """PRAGMA integrity_check on a copy (the plan file and its -wal), so the
    check itself leaves nothing beside the original."""
    if not os.path.exists(db):
        return 'ok'
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, 'copy.upgplan')
        shutil.copy(db, copy)
        if os.path.exists(db + '-wal'):
            shutil.copy(db + '-wal', copy + '-wal')
        con = sqlite3.connect(copy)
        try:
            rows = con.execute('PRAGMA integrity_check').fetchall()
        finally:
            con.close()
        return '; '.join(r[0] for r in rows)


def kind_args(kind):
    """What an export of @kind needs besides --format: the project, and for
    an email the moment it is for."""
    if kind == 'plan':
        return []
    if kind == 'email':
        # --force: whether the moment fits the project's state is tested
        # elsewhere (test-notify); here only the write matters.
        return ['--project', '1', '--template', 'advance_notice', '--force']
    return ['--project', '1']


def export_kinds():
    """The export kinds and their formats, as --help lists them."""
    out = subprocess.run([BIN, '--help'], capture_output=True, text=True, env=dict(os.environ, LC_ALL='C.UTF-8'))
    kinds, listing = {}, False
    for line in out.stdout.splitlines():
        if line.startswith('Export kinds and formats'):
            listing = True
        elif listing and line.startswith('  '):
            kind, *formats = line.split()
            kinds[kind] = formats
    assert kinds, out.stdout
    return kinds


CLOCK_LINES = (b'/CreationDate', b'/ModDate', b'Date:', b'Message-Id:', b'Message-ID:')


def without_dates(data):
    """An export without the lines that name the moment it was made (a PDF's
    creation date, a message's Date and Message-Id)."""
    return b'\n'.join(line for line in data.split(b'\n') if not line.lstrip().startswith(CLOCK_LINES))


def make_plan(folder, name, plan):
    db = os.path.join(folder, name)
    out = subprocess.run([BIN, 'import', '--db', db, plan], capture_output=True)
    assert out.returncode == 0, out.stderr
    return db


class Case:
    """A command, the files it starts from, and what success looks like."""

    def __init__(self, title, args, setup, check_success):
        self.title, self.args, self.setup, self.check_success = title, args, setup, check_success


def main():
    template = tempfile.mkdtemp(prefix='upg-fault-')
    try:
        return run_cases(template)
    finally:
        shutil.rmtree(template, ignore_errors=True)


def run_cases(template):
    base_db = make_plan(template, 'base.upgplan', BASE)
    with open(SAMPLE, 'rb') as f:
        sample_bytes = f.read()

    def expected_export(kind, fmt):
        args = ['export', kind, '--db', base_db, '--format', fmt]
        args += kind_args(kind)
        out = subprocess.run([BIN] + args, capture_output=True)
        assert out.returncode == 0, out.stderr
        return out.stdout

    def setup_existing(folder):
        shutil.copy(base_db, os.path.join(folder, 'plan.upgplan'))

    def setup_existing_and_target(folder):
        setup_existing(folder)
        with open(os.path.join(folder, 'out'), 'wb') as f:
            f.write(b'the old contents\n')

    def exported(folder):
        out = subprocess.run([BIN, 'export', 'plan', '--db', os.path.join(folder, 'plan.upgplan')],
                             capture_output=True)
        return out.stdout if out.returncode == 0 else None

    def import_new_ok(folder, proc):
        if proc.stdout != b'1\n':
            return 'printed %r, not the new id' % proc.stdout
        if exported(folder) != sample_bytes:
            return 'the plan file does not hold the imported plan'
        return None

    def import_existing_ok(folder, proc):
        if proc.stdout != b'4\n':
            return 'printed %r, not the new id' % proc.stdout
        out = subprocess.run([BIN, 'list', '--db', os.path.join(folder, 'plan.upgplan')], capture_output=True)
        if out.stdout.count(b'\n') != 4:
            return 'the plan file does not hold the three projects and the new one'
        return None

    def export_ok(kind, fmt):
        def check(folder, proc):
            # Made now, not before the runs: a report says how many days are
            # left, and the day may change while the runs go on.
            want = expected_export(kind, fmt)
            with open(os.path.join(folder, 'out'), 'rb') as f:
                got = f.read()
            got, want_here = without_dates(got), without_dates(want)
            if got != want_here:
                return 'the -o file (%d bytes) is not the export (%d bytes)' % (len(got), len(want_here))
            return None
        return check

    def check_ok(folder, proc):
        return None if proc.stdout.startswith(b'ok:') else 'printed %r' % proc.stdout

    cases = [
        Case('import into a new file', ['import', '--db', 'plan.upgplan', SAMPLE], lambda d: None, import_new_ok),
        Case('import into an existing file', ['import', '--db', 'plan.upgplan', SAMPLE_V1], setup_existing,
             import_existing_ok),
        Case('export plan -o a file that does not exist yet', ['export', 'plan', '--db', 'plan.upgplan', '-o', 'out'],
             setup_existing, export_ok('plan', 'json')),
    ]
    kinds = export_kinds()
    for kind, formats in kinds.items():
        for fmt in formats:
            args = ['export', kind, '--db', 'plan.upgplan', '--format', fmt, '-o', 'out']
            args += kind_args(kind)
            cases.append(Case('export %s --format %s -o over an existing file' % (kind, fmt), args,
                              setup_existing_and_target, export_ok(kind, fmt)))
    cases.append(Case('check', ['check', '--db', 'plan.upgplan'], setup_existing, check_ok))

    def sop_ok(folder, proc):
        out = subprocess.run([BIN, 'export', 'sop', '--db', os.path.join(folder, 'plan.upgplan'), '--project', '1',
                              '--format', 'csv', '--machine-csv'], capture_output=True)
        # The CSV's history column spans lines: read it as CSV, not by line.
        rows = list(csv.DictReader(io.StringIO(out.stdout.decode('utf-8-sig', errors='replace'))))
        step = [r for r in rows if r.get('title') == 'Rollback rehearsed']
        if out.returncode != 0 or len(step) != 1 or step[0]['done'] != 'true' or step[0]['checked_by'] != 'Tester':
            return 'the check is not in the plan file'
        return None
    cases.append(Case('sop check', ['sop', 'check', '--db', 'plan.upgplan', '--project', '1', '--step', '2',
                                    '--by', 'Tester'], setup_existing, sop_ok))

    print('1..%d' % len(cases))
    failures = 0
    total_runs = 0
    for number, case in enumerate(cases, 1):
        problems, runs, points = [], 0, 0
        for n in range(1, MAX_RUNS + 1):
            folder = tempfile.mkdtemp(dir=template)
            case.setup(folder)
            before = snapshot(folder)
            report = os.path.join(template, 'report')
            proc = run(case.args, folder, n, report)
            runs += 1
            with open(report) as f:
                fields = f.read().split()
            points = int(fields[1])
            failed_call = fields[4] if fields[3] != '0' else None
            where = 'N=%d (%s)' % (n, failed_call or 'nothing failed')
            if proc.returncode < 0 or proc.returncode > 2:
                problems.append('%s: exit status %d: %s' % (where, proc.returncode, proc.stderr[-300:]))
            elif proc.returncode == 0:
                problem = case.check_success(folder, proc)
                if problem:
                    problems.append('%s: succeeded, but %s' % (where, problem))
            else:
                after = snapshot(folder)
                if after != before:
                    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
                    problems.append('%s: failed (%s) and changed %s' % (
                        where, proc.stderr.decode(errors='replace').strip(), ', '.join(changed)))
                elif proc.stderr.count(b'\n') != 1:
                    problems.append('%s: failed without one line on stderr: %r' % (where, proc.stderr))
            result = integrity(os.path.join(folder, 'plan.upgplan'))
            if result != 'ok':
                problems.append('%s: integrity_check: %s' % (where, result))
            shutil.rmtree(folder)
            if proc.returncode == 0 and failed_call is None:
                break
            if failed_call is None:
                problems.append('%s: fails with no fault injected: %s' % (where, proc.stderr.decode(errors='replace')))
                break
        total_runs += runs
        if problems:
            failures += 1
            print('not ok %d - %s: %d runs, %d fault points, %d problems' % (number, case.title, runs, points,
                                                                             len(problems)))
            for p in problems[:8]:
                print('#   ' + p.replace('\n', ' '))
            if len(problems) > 8:
                print('#   … and %d more' % (len(problems) - 8))
        else:
            print('ok %d - %s: %d fault points, each left the files whole' % (number, case.title, points))
        sys.stdout.flush()
    print('# %d runs in all' % total_runs)
    return 1 if failures else 0


sys.exit(main())
