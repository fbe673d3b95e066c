#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The accessibility tree as a screen reader reads it: opens the window on
the sample plan under the display of the test run (xvfb-run) with the
AT-SPI bridge on, visits every section through the tree, and fails on a
control (button, toggle, menu button, entry, drop-down, check box, link,
actionable list item) that has no accessible name, whose name holds
a mnemonic underscore ("_New Project") or its text twice ("New Project
New Project"), whose description repeats its name (a tooltip equal to the
name: GTK 4.8 makes the tooltip the description, so Orca reads it twice),
or whose name is a widget's type name (an icon button labelled by its
GtkImage and nothing else: GTK 4.8 then names it "GtkImage" or
"GtkButton"); then does the same for the Connect to Team Server dialog
(opened through the app.connect action over D-Bus), with a recent server
and its Forget button. Prints TAP, one test a section.

    test-a11y.py UPGRADE-PLANNER DATA-DIR
"""
import os
import re
import subprocess
import sys
import tempfile
import time

# The app runs with the test's G_DEBUG (fatal-warnings); libatspi in this
# process warns about the registry's cache, which GTK 4.8 does not serve.
APP_G_DEBUG = os.environ.pop('G_DEBUG', None)

# A session bus of its own, for the accessibility bus it starts on demand;
# what the services it starts print stays off the TAP output.
BUS = subprocess.Popen(['dbus-daemon', '--session', '--nofork', '--print-address'],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
os.environ['DBUS_SESSION_BUS_ADDRESS'] = BUS.stdout.readline().strip()

import gi  # noqa: E402
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, Gio, GLib  # noqa: E402

# libatspi waits 800 ms for an application's reply by default; a sanitized
# build of the app answers slower than that while it lays out a section.
Atspi.set_timeout(60000, 120000)

BIN, DATA = sys.argv[1], sys.argv[2]
SCHEMA = 'io.github.upgrade_planner.UpgradePlanner'
SERVER = 'postgresql://mei@db.example.com/plans'
SECTIONS = ['Overview', 'Milestones', 'Risks', 'Team', 'Checklist', 'Notifications', 'Retrospective']

CONTROLS = {Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.CHECK_BOX, Atspi.Role.RADIO_BUTTON,
            Atspi.Role.MENU_ITEM, Atspi.Role.PAGE_TAB, Atspi.Role.ENTRY, Atspi.Role.TEXT,
            Atspi.Role.PASSWORD_TEXT, Atspi.Role.SPIN_BUTTON, Atspi.Role.COMBO_BOX, Atspi.Role.SLIDER,
            Atspi.Role.LINK,
            # Lists and tables a screen reader announces by name ("Canary 5%, list").
            Atspi.Role.LIST, Atspi.Role.LIST_BOX, Atspi.Role.TABLE, Atspi.Role.TREE_TABLE}
# One control a section that was named wrongly, as the tree must show it:
# (role, name, description).
EXPECTED = {
    'Overview': (Atspi.Role.PUSH_BUTTON, 'New Project', ''),
    'Milestones': (Atspi.Role.PUSH_BUTTON, 'Zoom In', ''),
    'Risks': (Atspi.Role.PUSH_BUTTON, 'Show All Cells', ''),
    'Team': (Atspi.Role.PUSH_BUTTON, 'Project Menu', ''),
    'Checklist': (Atspi.Role.PUSH_BUTTON, 'Who Is Checking?', 'Choose who checks steps'),
    'Notifications': (Atspi.Role.PUSH_BUTTON, 'Advance notice for Support: Not prepared, Open the draft', ''),
    'Retrospective': (Atspi.Role.PUSH_BUTTON, 'Print Retrospective', ''),
}
TYPE_NAME = re.compile(r'^(Gtk|Adw|Upg)[A-Z][A-Za-z]*$')
MNEMONIC = re.compile(r'(^|[\s(])_\w')


def walk(node, path=()):
    yield node, path
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            yield from walk(child, path + ('%s[%d]' % (child.get_role_name(), i),))


def find_app(process, timeout=120):
    until = time.time() + timeout
    while time.time() < until and process.poll() is None:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is not None and app.get_name() == 'upgrade-planner' and app.get_child_count() > 0:
                return app
        time.sleep(0.2)
    return None


def actionable(node):
    try:
        return node.get_n_actions() > 0
    except GLib.Error:
        return False


def click(app, name):
    """Does the first action of the section's switcher button."""
    for node, _ in walk(app):
        if node.get_role() in (Atspi.Role.PAGE_TAB, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.PUSH_BUTTON) and \
                node.get_name() == name and actionable(node):
            node.do_action(0)
            return True
    return False


def problem(node):
    role = node.get_role()
    if role == Atspi.Role.LIST_ITEM:
        if not actionable(node):
            return None
    elif role not in CONTROLS:
        return None
    name = (node.get_name() or '').strip()
    description = (node.get_description() or '').strip()
    if not name:
        return 'no name'
    if TYPE_NAME.match(name):
        labels = [t.get_role_name() for r in node.get_relation_set()
                  if r.get_relation_type() == Atspi.RelationType.LABELLED_BY
                  for t in (r.get_target(j) for j in range(r.get_n_targets())) if t is not None]
        return 'named by its type (%s)' % ('labelled by ' + ', '.join(labels) if labels else name)
    images = [r for r in node.get_relation_set() if r.get_relation_type() == Atspi.RelationType.LABELLED_BY
              for t in (r.get_target(j) for j in range(r.get_n_targets()))
              if t is not None and (t.get_role() in (Atspi.Role.IMAGE, Atspi.Role.ICON) or
                                    t.get_name() == 'GtkImage')]
    if images:
        return 'labelled by an image'
    if MNEMONIC.search(name):
        return 'mnemonic in the name'
    words = name.split(' ')
    half = len(words) // 2
    if len(words) % 2 == 0 and half > 0 and words[:half] == words[half:]:
        return 'the text twice'
    if description and description.casefold() == name.casefold():
        return 'a description (tooltip) equal to the name'
    return None


def problems(app):
    found = {}
    for node, path in walk(app):
        what = problem(node)
        if what is not None:
            # Where it is: the nearest named ancestor.
            parent = node.get_parent()
            while parent is not None and not parent.get_name():
                parent = parent.get_parent()
            where = ' in %s "%s"' % (parent.get_role_name(), parent.get_name()) if parent is not None else ''
            found['/'.join(path)] = '%s "%s"%s: %s' % (node.get_role_name(), node.get_name() or '', where, what)
    return found


def main():
    tests = []
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'plan.upgplan')
        subprocess.run([BIN, 'import', '--db', db, os.path.join(DATA, 'sample-plan.json')],
                       check=True, stdout=subprocess.DEVNULL)
        config = os.path.join(tmp, 'config')
        os.makedirs(os.path.join(config, 'glib-2.0', 'settings'))
        # Wide enough for every section's button in the header.
        # A recent server, for the Connect dialog's row and its Forget button.
        with open(os.path.join(config, 'glib-2.0', 'settings', 'keyfile'), 'w') as f:
            f.write('[%s]\nwindow-width=1280\nwindow-height=900\nrecent-servers=[%r]\n'
                    % (SCHEMA.replace('.', '/'), SERVER))
        env = dict(os.environ, GSETTINGS_BACKEND='keyfile', XDG_CONFIG_HOME=config, HOME=tmp,
                   XDG_DATA_HOME=os.path.join(tmp, 'data'), GTK_A11Y='atspi', NO_AT_BRIDGE='0')
        if APP_G_DEBUG is not None:
            env['G_DEBUG'] = APP_G_DEBUG
        app_process = subprocess.Popen([BIN, db], env=env)
        try:
            app = find_app(app_process)
            if app is None:
                print('1..1\nnot ok 1 - the window shows in the AT-SPI tree')
                return 1
            time.sleep(1.5)
            seen = {}
            for section in SECTIONS:
                if section != 'Overview' and not click(app, section):
                    tests.append((False, 'section %s can be opened from the tree' % section, []))
                    continue
                time.sleep(1.5)
                found = problems(app)
                new = [found[k] for k in sorted(found) if k not in seen]
                seen.update(found)
                tests.append((not new, 'every control of %s has a name of its own, read once' % section, new))
                role, name, description = EXPECTED[section]
                there = [n for n, _ in walk(app) if n.get_role() == role and n.get_name() == name]
                tests.append((len(there) >= 1 and all((n.get_description() or '') == description for n in there),
                              '%s shows %s "%s" described "%s"' % (section, role.value_nick, name, description),
                              ['%s "%s" described "%s"' % (n.get_role_name(), n.get_name(), n.get_description())
                               for n in there]))
            # Connect to Team Server…, opened through the application's
            # action over D-Bus (the window's menu item does the same).
            bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
            Gio.DBusActionGroup.get(bus, SCHEMA, '/' + SCHEMA.replace('.', '/')).activate_action('connect', None)
            time.sleep(1.5)
            found = problems(app)
            new = [found[k] for k in sorted(found) if k not in seen]
            tests.append((not new, 'every control of Connect to Team Server has a name of its own, read once', new))
            name = 'Forget ' + SERVER
            there = [n for n, _ in walk(app) if n.get_role() == Atspi.Role.PUSH_BUTTON and n.get_name() == name]
            tests.append((len(there) == 1 and (there[0].get_description() or '') == '',
                          'Connect to Team Server shows push button "%s" described ""' % name,
                          ['%s "%s" described "%s"' % (n.get_role_name(), n.get_name(), n.get_description())
                           for n in there]))
        finally:
            app_process.terminate()
            app_process.wait()
    print('1..%d' % len(tests))
    failed = 0
    for i, (ok, what, details) in enumerate(tests, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', i, what))
        for line in details if not ok else []:
            print('# %s' % line)
        failed += not ok
    return 1 if failed else 0


if __name__ == '__main__':
    try:
        status = main()
    finally:
        BUS.terminate()
        BUS.wait()
    sys.exit(status)
