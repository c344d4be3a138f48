#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 the purple-wagateway authors
"""Group administration in bitlbee-libpurple (issue 18), spoken to as an IRC
user would: IRC INVITE reaches the prpl's chat_invite (Z-API add-participant),
IRC TOPIC reaches set_chat_topic (update-group-name), IRC MODE +o is refused
by bitlbee itself (477: bitlbee 3.6 does not pass channel modes to the prpl)
so /op typed as channel text is the way, and /invitelink reset asks first.

Prints TAP. Skips (with the reason) only when bitlbee is not installed.
"""
import json, os, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (BITLBEE, GROUP, Tap, start_bitlbee, start_emu, stop, vendor_requests,  # noqa: E402
                        wait_for)
from bitlbee import Irc  # noqa: E402

LINKED = "120363011111111111-group"  # holds 5521900000001 (tests/common/world.c)


def calls(port, tail):
    return [r for r in vendor_requests(port) if r["path"].endswith(tail)]


def main():
    if not os.path.exists(BITLBEE):
        print("1..0 # SKIP bitlbee is not installed (apt-get install bitlbee-libpurple)")
        return 0
    tmp = tempfile.mkdtemp(prefix="wag-bitlbee-admin-")
    bitlbee, port = start_bitlbee(tmp)
    procs = [bitlbee]
    t = None
    try:
        emu, emu_port = start_emu()
        procs.append(emu)
        irc = None
        for _ in range(50):
            try:
                irc = Irc(port)
                break
            except OSError:
                time.sleep(0.1)
        if not irc:
            print("Bail out! bitlbee did not answer on its port")
            return 1
        t = Tap(7)
        irc.say("account add wagateway 3C5A9F0E1B2D tok-8d1f2a9e77c4", "Account successfully added")
        for k, v in [("api_base", f"http://127.0.0.1:{emu_port}"), ("client_token", "ctk-55aa09bb31"),
                     ("adds_per_minute", "10")]:
            irc.say(f"account wagateway set {k} {v}", k)
        out = irc.say("account wagateway on", "Logged in", 10)
        if "Logged in" not in out:
            print("Bail out! the account did not log in: " + out[-300:].replace("\n", " "))
            return 1
        irc.say(f"chat add wagateway {GROUP} #vizinhos", "Chatroom successfully added")
        irc.say(f"chat add wagateway {LINKED} #solar", "Chatroom successfully added")
        irc.send("JOIN #solar")
        irc.read_until("_5521900000001", 10)
        irc.send("JOIN #vizinhos")
        irc.read_until("_5544977777777", 10)

        # IRC INVITE -> chat_invite -> add-participant (autoInvite), message in the audit log.
        irc.send("INVITE _5521900000001 #vizinhos")
        out = irc.read_until("In the group now", 15)
        adds = calls(emu_port, "/add-participant")
        t.check(len(adds) == 1 and json.loads(adds[0]["body"]) == {
                    "autoInvite": True, "groupId": GROUP, "phones": ["5521900000001"]},
                "IRC INVITE reaches Z-API's add-participant", str(adds))
        t.check("In the group now: 5521900000001." in out and ":_5521900000001!" in out.split("INVITE")[-1],
                "the added person joins the channel and the outcome is said", out[-400:])
        # bitlbee sets libpurple's user directory to ConfigDir/purple/NICK (its
        # purple.c), so the audit log is ConfigDir/purple/NICK/wagateway/audit.log.
        audit = os.path.join(tmp, "cfg", "purple", "tester", "wagateway", "audit.log")
        t.check(bool(wait_for(lambda: os.path.exists(audit) and '"action":"add"' in open(audit).read(), 5)),
                "the audit log is ConfigDir/purple/NICK/wagateway/audit.log",
                subprocess.run(["find", tmp, "-name", "audit.log"], capture_output=True, text=True).stdout)

        # IRC TOPIC -> set_chat_topic -> update-group-name; the new topic is shown.
        irc.send("TOPIC #vizinhos :Vila Nova avisos")
        out = irc.read_until("subject is now", 10)
        time.sleep(0.3)
        out += irc.read_until("PART", 0.5)
        names = calls(emu_port, "/update-group-name")
        t.check(len(names) == 1 and json.loads(names[0]["body"]) == {"groupId": GROUP, "groupName": "Vila Nova avisos"},
                "IRC TOPIC reaches Z-API's update-group-name", str(names))
        # bitlbee 3.6 follows no libpurple topic change after the join (it
        # sets the topic once, from the conversation's title): the line says it.
        t.check("The group's subject is now \"Vila Nova avisos\"." in out and " PART #vizinhos" not in out,
                "the change is said in the channel, the roster untouched", out.replace("\r\n", " | "))

        # MODE +o: bitlbee answers 477 itself and calls no prpl function; /op as text works.
        irc.send("MODE #vizinhos +o _5544977777777")
        out = irc.read_until("477", 5)
        time.sleep(0.5)
        t.check(" 477 " in out and not calls(emu_port, "/add-admin"),
                "IRC MODE +o is refused by bitlbee (477) and reaches no vendor call", out[-300:])
        irc.send("PRIVMSG #vizinhos :/op 5544977777777")
        out = irc.read_until("Made 1 of 1 admins.", 10)
        ops = wait_for(lambda: calls(emu_port, "/add-admin"), 5)
        # bitlbee 3.6 has no chat_update_user UI op: flags are not shown as +o.
        t.check("Made 1 of 1 admins." in out and ops and json.loads(ops[0]["body"])["phones"] == ["5544977777777"],
                "/op typed as channel text reaches add-admin", out.replace("\r\n", " | "))
        irc.send("QUIT")
    finally:
        stop(procs)
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if t is None or t.failures else 0


if __name__ == "__main__":
    sys.exit(main())
