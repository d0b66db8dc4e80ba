#!/usr/bin/python3
# test-ui-dogtail.py: a user's walk through vmdeck, over AT-SPI (dogtail), on the demo
# (suite ui; TAP)
#
# Brings up the embedded demo as tools/run does (tools/demo run: the lab's local session
# daemon with deck-l1 and deck-l2, a demo inventory, and the real vmdeck window on them),
# then clicks through it like a user: the tree shows the two demo guests; select deck-l1,
# Start (the guest runs: virsh domstate), Open serial console (the tab's terminal shows
# the guest's banner; a command typed there runs on the guest: its serial log), Open VNC
# console (the tab shows the screen, no state bar), Shut down and confirm (the guest is
# shut off: virsh domstate; the serial tab says so), then Ctrl+Q: the window closes, the
# demo is taken down, and nothing of it is left (no process, no files).
#
# Runs under Xvfb (the caller's $DISPLAY) in a D-Bus session of its own
# (dbus-run-session, started by this script itself) with the accessibility bridge on
# (tests/meson.build's NO_AT_BRIDGE=1 is dropped for vmdeck). Needs root (the demo does),
# /usr/bin/python3 with dogtail and pyatspi (python3-dogtail, at-spi2-core): a missing
# piece skips with the reason.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import signal
import subprocess
import sys
import time

SRC = os.environ.get("VMDECK_SRCDIR") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("VMDECK_BUILDDIR") or os.path.join(SRC, "build")
DEMO_DIR = os.environ.get("VMDECK_DOGTAIL_DEMO_DIR", "/tmp/vmdeck-dogtail")
ARTIFACTS = os.environ.get("VMDECK_TEST_ARTIFACTS") or os.path.join(BUILD, "tests", "artifacts")

plan_printed = False
n_ok = 0


def skip_all(reason):
    out = globals().get("TAP") or sys.stdout
    print("1..0 # SKIP %s" % reason, file=out, flush=True)
    sys.exit(0)


def note(text):
    for line in str(text).splitlines() or [""]:
        print("# %s" % line, file=TAP, flush=True)


def ok(what):
    global n_ok
    n_ok += 1
    print("ok %d - %s" % (n_ok, what), file=TAP, flush=True)


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def wait_for(what, fn, timeout):
    """Polls fn() every 0.2 s until it returns something true; fails after timeout s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = fn()
        except Exception as e:  # AT-SPI objects come and go while the window changes
            value = None
            last = e
        else:
            last = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure("timed out after %d s waiting for %s%s" %
                          (timeout, what, (" (%s)" % last) if last else ""))
        time.sleep(0.2)


# --- preconditions and the D-Bus session ---------------------------------------------------

if os.environ.get("VMDECK_DOGTAIL_IN_SESSION") != "1":
    if os.geteuid() != 0:
        skip_all("the demo needs root")
    if not os.environ.get("DISPLAY"):
        skip_all("no display (run under xvfb-run)")
    if shutil.which("dbus-run-session") is None:
        skip_all("dbus-run-session missing (dbus)")
    if not os.path.exists("/usr/libexec/at-spi-bus-launcher"):
        skip_all("at-spi2-core missing")
    if not os.access(os.path.join(BUILD, "src", "vmdeck"), os.X_OK):
        skip_all("vmdeck is not built in %s" % BUILD)
    env = dict(os.environ)
    env["VMDECK_DOGTAIL_IN_SESSION"] = "1"
    env.pop("NO_AT_BRIDGE", None)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    # TAP goes to the original stdout (as fd 3); the bus and the daemons it starts (the
    # AT-SPI registry prints to stdout) write to stderr
    tap_fd = os.dup(1)
    os.set_inheritable(tap_fd, True)
    os.dup2(2, 1)
    env["VMDECK_DOGTAIL_TAP_FD"] = str(tap_fd)
    os.execvpe("dbus-run-session", ["dbus-run-session", "--", "/usr/bin/python3", os.path.abspath(__file__)], env)

TAP = os.fdopen(int(os.environ.get("VMDECK_DOGTAIL_TAP_FD", "1")), "w")
if os.environ.get("VMDECK_DOGTAIL_TAP_FD"):
    os.dup2(2, 1)   # dogtail prints its own notes to stdout

# dogtail makes /tmp/dogtail-$USER/{data,logs} when it is imported: gone again at the end
# unless they were there before
DOGTAIL_TMP = "/tmp/dogtail-%s" % __import__("pwd").getpwuid(os.getuid()).pw_name
DOGTAIL_TMP_EXISTED = os.path.exists(DOGTAIL_TMP)

try:
    import pyatspi  # noqa: F401
    from dogtail.config import config
    config.logDebugToFile = False   # no logs under /tmp/dogtail-$USER
    config.logDebugToStdOut = False
    from dogtail import utils as dt_utils
except ImportError as e:
    skip_all("dogtail or pyatspi missing for /usr/bin/python3: %s" % e)

dt_utils.enableA11y(True)
from dogtail import rawinput  # noqa: E402
from dogtail import tree  # noqa: E402
config.searchShowingOnly = False
config.defaultDelay = 0.3
config.actionDelay = 0.3
config.typingDelay = 0.05
config.searchCutoffCount = 5


def run(*argv, check_rc=True):
    p = subprocess.run(list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       env=dict(os.environ, VMDECK_DEMO_DIR=DEMO_DIR, VMDECK_BUILD_DIR=BUILD))
    if check_rc and p.returncode != 0:
        raise Failure("%s failed (%d): %s" % (" ".join(argv), p.returncode, p.stderr.strip()))
    return p.stdout


def demo_leftovers():
    """Processes whose command line names the demo directory, and whether it exists."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if DEMO_DIR + "/" in cmd and "test-ui-dogtail" not in cmd:
            pids.append("%s: %s" % (pid, cmd[:120]))
    return pids, os.path.exists(DEMO_DIR) or os.path.exists(DEMO_DIR + ".lock")


def find(root, what, **kw):
    return wait_for(what, lambda: root.findChild(lambda n: matches(n, **kw), retry=False, requireResult=False), 60)


def matches(node, name=None, prefix=None, role=None, showing=False):
    try:
        if role is not None and node.roleName != role:
            return False
        if name is not None and node.name != name:
            return False
        if prefix is not None and not (node.name or "").startswith(prefix):
            return False
        if showing and not node.showing:
            return False
        return True
    except Exception:
        return False


def screenshot(name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, name + ".png")
    if shutil.which("import"):
        subprocess.run(["import", "-window", "root", path], stderr=subprocess.DEVNULL)
        note("screenshot %s" % path)


def main():
    lab_env = {}
    demo = None
    env = dict(os.environ)
    env.update({
        "VMDECK_DEMO_DIR": DEMO_DIR,
        "VMDECK_BUILD_DIR": BUILD,
        "GSETTINGS_BACKEND": "memory",
        "GSETTINGS_SCHEMA_DIR": os.path.join(BUILD, "data"),
        "GTK_MODULES": "gail:atk-bridge",
        "XDG_RUNTIME_DIR": os.path.join("/tmp", "vmdeck-dogtail-run"),
    })
    env.pop("NO_AT_BRIDGE", None)
    env.pop("G_DEBUG", None)   # vmdeck is the program under test here, not a unit
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)

    try:
        # tools/demo run as tools/run does it (in a process group of its own)
        demo = subprocess.Popen([os.path.join(SRC, "tools", "demo"), "run"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
        app = wait_for("vmdeck on the accessibility bus",
                       lambda: tree.root.application("vmdeck"), 90)
        ok("tools/demo run starts vmdeck; it is on the accessibility bus")

        for line in run(os.path.join(SRC, "tools", "demo"), "env").splitlines():
            if line.startswith("export "):
                k, v = line[len("export "):].split("=", 1)
                lab_env[k] = v.strip("'")
        uri = lab_env["LAB_LOCAL_URI"]
        log = lab_env["LAB_SERIAL_LOG_deck_l1"]

        def domstate(name):
            return run("virsh", "-q", "-c", uri, "domstate", name).strip()

        check(domstate("deck-l1") == "shut off", "deck-l1 starts shut off")

        inventory = find(app, "the Inventory tree", name="Inventory")
        l1 = find(inventory, "deck-l1 in the tree", prefix="deck-l1", role="table cell")
        find(inventory, "deck-l2 in the tree", prefix="deck-l2", role="table cell")
        ok("the tree shows the two demo guests deck-l1 and deck-l2")
        screenshot("dogtail-demo-main-window")

        # select deck-l1 and Start
        l1.click()
        start = find(app, "the Start button", name="Start", role="push button")
        wait_for("Start to be enabled", lambda: start.sensitive, 30)
        start.click()
        wait_for("deck-l1 to run (virsh domstate)", lambda: domstate("deck-l1") == "running", 60)
        wait_for("deck-l1's row to say running",
                 lambda: "running" in find(inventory, "deck-l1", prefix="deck-l1", role="table cell").name, 30)
        ok("Start: deck-l1 runs (virsh domstate: running) and its row says so")

        # the serial console
        serial_button = find(app, "Open serial console", name="Open serial console", role="push button")
        wait_for("Open serial console to be enabled", lambda: serial_button.sensitive, 30)
        serial_button.click()
        terminal = find(app, "the serial console tab's terminal", name="Serial console of deck-l1")
        banner = "VMDECK-GUEST deck-l1 READY"

        def terminal_text():
            return terminal.queryText().getText(0, -1)

        # the guest boots into the open tab (banner); if the banner went by before the
        # console opened, Return brings its prompt
        try:
            wait_for("the guest's banner in the serial tab", lambda: banner in terminal_text(), 60)
            note("the serial tab shows the banner")
        except Failure:
            terminal.click()
            rawinput.pressKey("Return")
            wait_for("the guest's prompt in the serial tab", lambda: "deck-l1#" in terminal_text(), 30)
            note("the serial tab shows the prompt")
        terminal.click()
        rawinput.typeText("echo dogtail-$((20+22))\n")
        wait_for("the command's output in the serial tab", lambda: "dogtail-42" in terminal_text(), 60)
        wait_for("the command in the guest's serial log",
                 lambda: "dogtail-42" in open(log, errors="replace").read(), 30)
        ok("Open serial console: the tab shows the guest's console; a command typed there runs on the guest")
        screenshot("dogtail-serial-tab")

        # the VNC console
        tree_again = find(inventory, "deck-l1", prefix="deck-l1", role="table cell")
        tree_again.click()
        vnc_button = find(app, "Open VNC console", name="Open VNC console", role="push button")
        wait_for("Open VNC console to be enabled", lambda: vnc_button.sensitive, 30)
        vnc_button.click()
        screen = find(app, "the VNC tab's screen", name="Screen of deck-l1")
        wait_for("the VNC screen to show", lambda: screen.showing, 60)
        ok("Open VNC console: the tab shows the guest's screen")
        screenshot("dogtail-vnc-tab")

        # Shut down, confirmed
        tree_again = find(inventory, "deck-l1", prefix="deck-l1", role="table cell")
        tree_again.click()
        shutdown = find(app, "the Shut down button", name="Shut down", role="push button")
        wait_for("Shut down to be enabled", lambda: shutdown.sensitive, 30)
        shutdown.click()
        confirm = find(app, "the confirmation's Shut Down button", name="Shut Down", role="push button",
                       showing=True)
        screenshot("dogtail-confirm-shutdown")
        confirm.click()
        wait_for("deck-l1 to be shut off (virsh domstate)", lambda: domstate("deck-l1") == "shut off", 90)
        state = find(app, "a console tab's state saying shut off", name="Console state", showing=True)
        wait_for("the console state to say shut off", lambda: "shut off" in state.text, 30)
        note("console state: %s" % state.text)
        ok("Shut down (confirmed): deck-l1 is shut off (virsh domstate) and the console tab says so")
        screenshot("dogtail-after-shutdown")

        # quit: the demo goes with the window
        rawinput.keyCombo("<Control>q")
        try:
            demo.wait(timeout=60)
        except subprocess.TimeoutExpired:
            raise Failure("tools/demo run did not end after Ctrl+Q")
        out = demo.stdout.read()
        note(out)
        demo = None
        pids, exists = demo_leftovers()
        check(not pids, "processes of the demo left: %s" % pids)
        check(not exists, "%s (or its lock file) is left" % DEMO_DIR)
        ok("Ctrl+Q closes the window and the demo is taken down: no process, no files left")
    except Failure as e:
        print("not ok %d - %s" % (n_ok + 1, e), file=TAP, flush=True)
        print("1..%d" % (n_ok + 1), file=TAP, flush=True)
        screenshot("dogtail-failure")
        return 1
    finally:
        if demo is not None:
            try:
                os.killpg(demo.pid, signal.SIGTERM)
                demo.wait(timeout=30)
            except Exception:
                pass
            note(demo.stdout.read() if demo.stdout else "")
        if demo_leftovers()[1] or demo_leftovers()[0]:
            subprocess.run([os.path.join(SRC, "tools", "demo"), "down"],
                           env=dict(os.environ, VMDECK_DEMO_DIR=DEMO_DIR))
        shutil.rmtree(os.path.join("/tmp", "vmdeck-dogtail-run"), ignore_errors=True)
        if not DOGTAIL_TMP_EXISTED:
            shutil.rmtree(DOGTAIL_TMP, ignore_errors=True)
    print("1..%d" % n_ok, file=TAP, flush=True)
    return 0


sys.exit(main())
