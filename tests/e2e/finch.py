#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 the purple-wagateway authors
"""Finch (the text-mode libpurple client) in tmux with the built plugin: the
account connects, the saved group chat opens with its roster, and /kick typed
in the chat removes a participant. The screen is read with capture-pane.

Prints TAP. Skips (with the reason) only when finch or tmux is not installed.
"""
import json, os, shutil, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import GROUP, CLIENT_TOKEN, Tap, Tmux, purple_config, start_emu, stop, vendor_requests, wait_for  # noqa: E402

FINCH = shutil.which("finch")
TMUX = shutil.which("tmux")
PREFS = """<?xml version='1.0' encoding='UTF-8' ?>
<pref version='1' name='/'><pref name='finch'>
 <pref name='blist'>
  <pref name='size'><pref name='width' type='int' value='38'/><pref name='height' type='int' value='45'/></pref>
  <pref name='position'><pref name='x' type='int' value='0'/><pref name='y' type='int' value='0'/></pref>
 </pref>
 <pref name='conversations'>
  <pref name='size'><pref name='width' type='int' value='150'/><pref name='height' type='int' value='45'/></pref>
  <pref name='position'><pref name='x' type='int' value='40'/><pref name='y' type='int' value='0'/></pref>
 </pref>
</pref></pref>
"""
ROSTER = ("5511999999999", "5511988888888", "5544977777777", "5544999999999")


def main():
    missing = [n for n, p in (("finch", FINCH), ("tmux", TMUX)) if not p]
    if missing:
        print(f"1..0 # SKIP {' and '.join(missing)} not installed (apt-get install finch tmux)")
        return 0
    tmp = tempfile.mkdtemp(prefix="wag-finch-")
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    procs = []
    t = None
    finch = None
    try:
        emu, emu_port = start_emu("zapi", "names")
        procs.append(emu)
        conf = os.path.join(tmp, "purple")
        # Side by side, wide enough that no line of the chat is cut.
        purple_config(conf, "gnt-purple", emu_port, "gnt-autojoin", PREFS)
        env = dict(os.environ, HOME=home, TERM="screen-256color", LANG="C.UTF-8")
        env.pop("G_DEBUG", None)  # the host's own warnings are not ours to make fatal
        finch = Tmux(tmp, f"{FINCH} -c {conf} 2>{tmp}/finch.err", env)
        screen, keys = finch.screen, finch.keys
        t = Tap(6)
        shown = wait_for(lambda: "Bairro Vila Nova" in screen() and "Condominio Solar" in screen() and screen(), 15)
        t.check(bool(shown) and "Solar Bloco A" in shown,
                "the account connects and the buddy list shows the community and the groups", (shown or screen())[-600:])
        # Finch prints the roster when the saved chat opens at sign-on.
        shown = wait_for(lambda: "List of 4 users" in screen() and screen(), 10)
        t.check(bool(shown) and all(p in shown for p in ROSTER),
                "the chat opens with its roster", (shown or screen())[-600:])

        keys("M-n")  # focus moves from the buddy list to the conversation
        time.sleep(0.5)
        keys("/kick 5544999999999 spam links", literal=True)
        keys("Enter")
        removes = wait_for(lambda: [r for r in vendor_requests(emu_port)
                                    if r["path"].endswith("/remove-participant")], 10)
        t.check(len(removes) == 1 and removes[0]["body"] == json.dumps(
                    {"groupId": GROUP, "phones": ["5544999999999"]}, separators=(",", ":"))
                and removes[0]["client_token"] == CLIENT_TOKEN,
                "/kick in the chat reaches Z-API's remove-participant", str(removes))
        shown = wait_for(lambda: "Removed 1 of 1." in screen() and screen(), 10)
        t.check(bool(shown) and "5544999999999 left the room (removed by 5511988888888)" in shown,
                "the chat shows the participant leaving and the outcome", (shown or screen())[-800:])
        t.check("4 participants. Owner: Ana Souza (5511999999999). Admins: 5511988888888." in screen(),
                "the join's summary names the owner (with the vendor's name) and the admins", screen()[-800:])
        keys("/admins", literal=True)
        keys("Enter")
        shown = wait_for(lambda: screen().count("Owner: Ana Souza (5511999999999). Admins: 5511988888888.") == 2
                         and screen(), 10)
        t.check(bool(shown), "/admins lists the owner and the admins", screen()[-800:])
    finally:
        if finch:
            finch.kill()
        stop(procs)
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if t is None or t.failures else 0


if __name__ == "__main__":
    sys.exit(main())
