#!/usr/bin/python3
"""Time from process start to the first drawn frame of the main window on the
1000-project benchmark plan, against a bare AdwApplicationWindow with a header
bar, measured side by side (N runs each, interleaved, median).

    bench/window-startup.py [BUILDDIR] [RUNS]

Two figures for the app: "window visible" is its first frame, "Overview
filled" the first frame that shows the Overview's summary (and its details,
when they are open; they are closed by default). Since the summary comes
with the window's first frame, the two are one frame unless the details are
open. The bare window's first frame is both.

Needs a display (run it under xvfb-run -a). The bar (issue 13): the first
frame within 1.25x the bare window's, the filled Overview within 1.5x. Both
programs draw with the renderer GTK picks for them (GSK_RENDERER as the
caller set it). The last lines compare the two on cairo and on GL.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', '_build'))
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
app = os.path.join(build, 'src', 'upgrade-planner')
bare = os.path.join(build, 'bench', 'bare-window')

env = dict(os.environ)
env['UPG_BENCH_EXIT_ON_MAP'] = '1'
env['GSETTINGS_SCHEMA_DIR'] = os.path.join(build, 'data')
env['GSETTINGS_BACKEND'] = 'memory'
env.setdefault('GTK_A11Y', 'none')


def time_to_frames(argv, renderer=None):
    """Seconds from start to the first frame and to the filled frame."""
    run_env = dict(env)
    if renderer:
        run_env['GSK_RENDERER'] = renderer
    start = time.time()
    out = subprocess.run(argv, env=run_env, capture_output=True, text=True, timeout=120)
    marks = {}
    for line in out.stdout.splitlines():
        if line.startswith('UPG_BENCH '):
            _, what, usec = line.split()
            marks[what] = int(usec) / 1e6 - start
    if 'mapped' not in marks or 'content' not in marks:
        sys.exit('no frame from %s:\n%s' % (argv[0], out.stderr))
    return marks['mapped'], marks['content'], marks.get('list', marks['content'])


with tempfile.TemporaryDirectory() as tmp:
    plan = os.path.join(tmp, 'big.json')
    db = os.path.join(tmp, 'big.upgplan')
    with open(plan, 'w') as f:
        subprocess.run(['/usr/bin/python3', os.path.join(here, 'genplan.py'), '1000'], stdout=f, check=True)
    subprocess.run([app, 'import', '--db', db, plan], stdout=subprocess.DEVNULL, check=True)

    # Warm the caches once, then interleave the two.
    time_to_frames([bare])
    time_to_frames([app, db])
    bare_times, app_first, app_filled, app_list = [], [], [], []
    for _ in range(runs):
        bare_times.append(time_to_frames([bare])[0])
        first, filled, listed = time_to_frames([app, db])
        app_first.append(first)
        app_filled.append(filled)
        app_list.append(listed)

    # Both windows on each renderer in turn.
    same = {}
    for renderer in ('cairo', 'gl'):
        bare_r, app_r = [], []
        for _ in range(runs):
            bare_r.append(time_to_frames([bare], renderer)[0])
            app_r.append(time_to_frames([app, db], renderer)[1])
        same[renderer] = (statistics.median(bare_r) * 1000, statistics.median(app_r) * 1000)

b = statistics.median(bare_times) * 1000
a = statistics.median(app_first) * 1000
c = statistics.median(app_filled) * 1000
d = statistics.median(app_list) * 1000
renderer_name = os.environ.get('GSK_RENDERER') or 'the one GTK picks'
print('renderer: %s, for both windows' % renderer_name)
print('bare AdwApplicationWindow + header bar: %.0f ms (median of %d)' % (b, runs))
print('upgrade-planner, 1000-project plan:')
print('  window visible:   %.0f ms, ratio %.2f (target 1.25)' % (a, a / b))
print('  Overview filled:  %.0f ms, ratio %.2f (target 1.5)' % (c, c / b))
print('  list complete:    %.0f ms, ratio %.2f (all 1000 projects in the list)' % (d, d / b))
for renderer, (rb, ra) in same.items():
    print('same renderer (GSK_RENDERER=%s): bare %.0f ms, Overview filled %.0f ms, ratio %.2f'
          % (renderer, rb, ra, ra / rb))
sys.exit(0 if a / b <= 1.25 and c / b <= 1.5 else 1)
