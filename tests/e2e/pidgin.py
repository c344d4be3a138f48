#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 the purple-wagateway authors
"""Pidgin under Xvfb with the built plugin: the plugin loads, the account
connects, the buddy list shows the community's group with its chats, and the
saved group chat opens. Saves a screenshot (pidgin.png) for people to look at.

Prints TAP. Skips (with the reason) only when a program is not installed.
"""
import os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import GROUP, Tap, purple_config, start_emu, stop, vendor_requests, wait_for  # noqa: E402

NEEDED = {"pidgin": "pidgin", "Xvfb": "xvfb", "xwininfo": "x11-utils", "import": "imagemagick"}
ARTIFACTS = os.environ.get("WAG_ARTIFACTS") or os.getcwd()
# No window manager under Xvfb: every window opens at 0,0. The buddy list
# goes to the right so that the chat window does not cover it.
PREFS = """<?xml version='1.0' encoding='UTF-8' ?>
<pref version='1' name='/'><pref name='pidgin'>
 <pref name='blist'>
  <pref name='x' type='int' value='560'/><pref name='y' type='int' value='0'/>
  <pref name='width' type='int' value='300'/><pref name='height' type='int' value='460'/>
  <pref name='list_visible' type='bool' value='1'/>
 </pref>
 <pref name='conversations'><pref name='chat'>
  <pref name='width' type='int' value='550'/><pref name='height' type='int' value='470'/>
  <pref name='userlist_width' type='int' value='170'/>
 </pref></pref>
</pref></pref>
"""


def start_xvfb(tmp):
    r, w = os.pipe()
    p = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "880x480x24", "-nolisten", "tcp"],
                         pass_fds=(w,), stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        display = f.readline().strip()
    return p, ":" + display


def windows(env):
    out = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True).stdout
    return re.findall(r'^\s+0x[0-9a-f]+ "([^"]*)"', out, re.M)


def main():
    missing = [f"{prog} ({pkg})" for prog, pkg in NEEDED.items() if not shutil.which(prog)]
    if missing:
        print(f"1..0 # SKIP not installed: {', '.join(missing)}")
        return 0
    tmp = tempfile.mkdtemp(prefix="wag-pidgin-")
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    procs = []
    t = None
    try:
        emu, emu_port = start_emu()
        procs.append(emu)
        xvfb, display = start_xvfb(tmp)
        procs.append(xvfb)
        conf = os.path.join(tmp, "purple")
        purple_config(conf, "gtk-gaim", emu_port, "gtk-autojoin", PREFS)
        env = dict(os.environ, HOME=home, DISPLAY=display, LANG="C.UTF-8", NO_AT_BRIDGE="1")
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        env.pop("G_DEBUG", None)  # the host's own warnings are not ours to make fatal
        log_path = os.path.join(tmp, "pidgin.log")
        procs.insert(0, subprocess.Popen(["pidgin", "-c", conf, "-d"], env=env,
                                         stdout=open(log_path, "w"), stderr=subprocess.STDOUT))

        def log():
            return open(log_path, errors="replace").read()

        t = Tap(5)
        plugin = os.path.join(conf, "plugins", "libwagateway.so")
        loaded = wait_for(lambda: f"probing {plugin}" in log() and "wagateway:" in log(), 15)
        t.check(bool(loaded) and "not loadable" not in log(), "Pidgin loads the plugin", log()[-600:])

        listed = wait_for(lambda: "groups and communities listed" in log(), 15)
        seen = [r["path"].rsplit("/", 1)[-1] for r in vendor_requests(emu_port)]
        t.check(listed and "status" in seen and any(p.startswith("groups") for p in seen),
                "the account connects and lists the groups", f"vendor saw {seen}")

        # The tree Pidgin draws is the saved buddy list: the community is a
        # group holding itself and its linked group, beside the plain groups.
        def saved():
            try:
                x = open(os.path.join(conf, "blist.xml")).read()
            except OSError:
                return None
            m = re.search(r"<group name='Condominio Solar'>(.*?)</group>", x, re.S)
            return m and "98372465382764532938" in m.group(1) and "120363011111111111-group" in m.group(1) and x
        blist = wait_for(saved, 15)
        t.check(bool(blist) and "Buddy List" in windows(env),
                "the buddy list shows the community's group with its chats", f"windows: {windows(env)}")

        opened = wait_for(lambda: "Bairro Vila Nova" in windows(env) and any(
            GROUP in r["path"] for r in vendor_requests(emu_port)), 15)
        t.check(bool(opened), "the saved group chat opens and loads its roster", f"windows: {windows(env)}")

        time.sleep(1.5)  # let the roster paint
        shot = os.path.join(ARTIFACTS, "pidgin.png")
        subprocess.run(["import", "-window", "root", shot], env=env, check=False)
        mean = subprocess.run(["identify", "-format", "%[fx:mean]", shot], capture_output=True, text=True).stdout
        t.check(os.path.exists(shot) and mean and float(mean) > 0.05, f"screenshot saved: {shot}", f"mean={mean}")
    finally:
        stop(procs)
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if t is None or t.failures else 0


if __name__ == "__main__":
    sys.exit(main())
