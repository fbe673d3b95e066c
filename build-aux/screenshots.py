#!/usr/bin/python3
"""Screenshots of the window, the way a review looks at it.

    build-aux/screenshots.py OUTDIR [PLAN.json] [--width WIDTH]

With --width, the review set instead: the Checklist, the Milestones'
timeline and the Overview at that width, in English and Chinese, light and
dark.

Opens the installed upgrade-planner (or $UPG_APP) on the plan (the sample
plan by default) under its own Xvfb, once for each section, width, language
and style asked for below, and saves OUTDIR/SECTION-WIDTH-LANG[-dark].png.
The window's size comes from a keyfile settings backend, the section is
chosen through the accessibility tree (AT-SPI), as a screen reader would.
OUTDIR/a11y-unnamed.txt lists every control without an accessible name.

Needs Xvfb, imagemagick's import, python3-gi with gir1.2-atspi-2.0 and a
D-Bus session (run it under dbus-run-session when there is none).
"""
import gettext
import os
import shutil
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.environ.get('UPG_APP') or shutil.which('upgrade-planner') or 'upgrade-planner'
LOCALEDIR = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(APP))), 'share', 'locale')
SCHEMA = 'io/github/upgrade_planner/UpgradePlanner'

# (section, width, height, language, dark)
SHOTS = [
    ('Overview', 1400, 900, 'en', False),
    ('Overview', 1100, 720, 'en', False),
    ('Overview', 360, 720, 'en', False),
    ('Overview', 1400, 900, 'zh_CN', False),
    ('Overview', 1100, 720, 'en', True),
    ('Overview', 360, 720, 'zh_CN', True),
    ('Milestones', 1400, 900, 'en', False),
    ('Milestones', 1100, 720, 'zh_CN', False),
    ('Milestones', 360, 720, 'en', True),
]

CONTROLS = {Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.CHECK_BOX, Atspi.Role.MENU_ITEM,
            Atspi.Role.PAGE_TAB, Atspi.Role.ENTRY, Atspi.Role.TEXT, Atspi.Role.SPIN_BUTTON,
            Atspi.Role.COMBO_BOX, Atspi.Role.LIST_ITEM, Atspi.Role.SLIDER, Atspi.Role.LINK}


def review_shots(width):
    return [(section, width, 800, language, dark)
            for section in ('Checklist', 'Milestones', 'Overview')
            for language in ('en', 'zh_CN')
            for dark in (False, True)]


def translate(text, language):
    if language == 'en':
        return text
    return gettext.translation('upgrade-planner', LOCALEDIR, [language], fallback=True).gettext(text)


def find_app(name='upgrade-planner', timeout=20):
    until = time.time() + timeout
    while time.time() < until:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is not None and app.get_name() == name:
                return app
        time.sleep(0.2)
    return None


def walk(node, depth=0):
    yield node, depth
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            yield from walk(child, depth + 1)


def visible(node):
    # GTK 4.8 marks no node "showing"; "visible" is the widget's property.
    return node.get_state_set().contains(Atspi.StateType.VISIBLE)


def click_section(app, title):
    for node, _ in walk(app):
        if node.get_role() in (Atspi.Role.PAGE_TAB, Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON) and \
                node.get_name() == title:
            action = node.get_action_iface() if hasattr(node, 'get_action_iface') else node
            if action is not None and action.get_n_actions() > 0:
                action.do_action(0)
                return True
    return False


def open_first_project(app, width):
    """A narrow window opens on its project list: click the first project
    (GTK 4.8 offers list items no action)."""
    for node, _ in walk(app):
        if node.get_role() != Atspi.Role.LIST_ITEM or not visible(node):
            continue
        # The window sits at 0,0 (no window manager): its coordinates are
        # the screen's. Rows of pages off screen lie outside it.
        box = node.get_extents(Atspi.CoordType.WINDOW)
        if box.x + box.width <= width:
            Atspi.generate_mouse_event(box.x + box.width // 2, box.y + box.height // 2, 'b1c')
            return True
    return False


def unnamed_controls(app):
    found = []
    for node, depth in walk(app):
        if node.get_role() in CONTROLS and visible(node) and not node.get_name():
            found.append('%s%s' % ('  ' * depth, node.get_role_name()))
    return found


def main():
    args = sys.argv[1:]
    shots = SHOTS
    if '--width' in args:
        at = args.index('--width')
        shots = review_shots(int(args[at + 1]))
        del args[at:at + 2]
    if not args:
        sys.exit(__doc__)
    out = os.path.abspath(args[0])
    plan = args[1] if len(args) > 1 else os.path.join(HERE, '..', 'tests', 'data', 'sample-plan.json')
    os.makedirs(out, exist_ok=True)
    display = ':%d' % (90 + os.getpid() % 9)
    xvfb = subprocess.Popen(['Xvfb', display, '-screen', '0', '1400x900x24'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    unnamed = []
    # The accessibility registry makes the synthetic clicks on the display
    # it starts with: ours.
    os.environ['DISPLAY'] = display
    subprocess.run(['dbus-update-activation-environment', 'DISPLAY=' + display], check=False)
    try:
        time.sleep(1)
        with tempfile.TemporaryDirectory() as tmp:
            db = os.path.join(tmp, 'plan.upgplan')
            subprocess.run([APP, 'import', '--db', db, plan], check=True, stdout=subprocess.DEVNULL)
            for section, width, height, language, dark in shots:
                config = os.path.join(tmp, 'config')
                os.makedirs(os.path.join(config, 'glib-2.0', 'settings'), exist_ok=True)
                with open(os.path.join(config, 'glib-2.0', 'settings', 'keyfile'), 'w') as f:
                    f.write('[%s]\nwindow-width=%d\nwindow-height=%d\n' % (SCHEMA, width, height))
                env = dict(os.environ, DISPLAY=display, GSETTINGS_BACKEND='keyfile', XDG_CONFIG_HOME=config,
                           LANGUAGE=language, LC_ALL='C.UTF-8', GTK_A11Y='atspi', NO_AT_BRIDGE='0')
                if dark:
                    env['ADW_DEBUG_COLOR_SCHEME'] = 'prefer-dark'
                app = subprocess.Popen([APP, db], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                try:
                    node = find_app()
                    time.sleep(2)
                    if node is not None and width < 500:
                        open_first_project(node, width)
                        time.sleep(1)
                    if node is not None and section != 'Overview':
                        if not click_section(node, translate(section, language)):
                            print('could not open %s (%s)' % (section, language), file=sys.stderr)
                        time.sleep(1)
                    if node is not None:
                        unnamed += ['%s %d %s:' % (section, width, language)] + unnamed_controls(node)
                    name = '%s-%d-%s%s.png' % (section.lower(), width, language, '-dark' if dark else '')
                    subprocess.run(['import', '-display', display, '-window', 'root',
                                    '-crop', '%dx%d+0+0' % (width, height), os.path.join(out, name)], check=True)
                    print(os.path.join(out, name))
                finally:
                    app.terminate()
                    app.wait()
    finally:
        xvfb.terminate()
    with open(os.path.join(out, 'a11y-unnamed.txt'), 'w') as f:
        f.write('\n'.join(unnamed) + '\n')


if __name__ == '__main__':
    main()
