#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 the purple-wagateway authors
"""bitlbee-libpurple with the built plugin, spoken to as an IRC user would.

Prints TAP. Skips (with the reason) only when bitlbee is not installed.
"""
import json, os, re, shutil, socket, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (BITLBEE, CLIENT, GROUP, Tap, post_webhook, start_bitlbee, start_emu, start_relay,  # noqa: E402
                        stop, vendor_requests, wait_for)

OPTIONS = ["vendor", "client_token", "api_base", "relay_url", "relay_token",
           "removals_per_minute", "leave_on_close", "poll_seconds", "adds_per_minute", "messages", "messages_per_minute"]


class Irc:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.s.settimeout(0.3)
        self.send("NICK tester")
        self.send("USER tester 0 * :tester")
        self.read_until("&bitlbee", 10)

    def send(self, line):
        self.s.sendall((line + "\r\n").encode())

    def read_until(self, needle, seconds):
        end, buf = time.time() + seconds, ""
        while time.time() < end:
            try:
                data = self.s.recv(65536)
                if not data:
                    break
                buf += data.decode(errors="replace")
                if needle in buf:
                    break
            except socket.timeout:
                pass
        return buf

    def say(self, text, until, seconds=5):
        self.send("PRIVMSG &bitlbee :" + text)
        return self.read_until(until, seconds)


def main():
    if not os.path.exists(BITLBEE):
        print("1..0 # SKIP bitlbee is not installed (apt-get install bitlbee-libpurple)")
        return 0
    tmp = tempfile.mkdtemp(prefix="wag-bitlbee-")
    log = open(os.environ["BITLBEE_LOG"], "w") if os.environ.get("BITLBEE_LOG") else subprocess.DEVNULL
    bitlbee, port = start_bitlbee(tmp, log)
    procs = [bitlbee]
    try:
        emu, emu_port = start_emu("zapi", "names")
        procs.append(emu)
        relay, relay_port = start_relay(tmp)
        procs.append(relay)
        for _ in range(50):
            try:
                irc = Irc(port)
                break
            except OSError:
                time.sleep(0.1)
        else:
            print("Bail out! bitlbee did not answer on its port")
            return 1
        t = Tap(27)
        out = irc.say("help purple", "wagateway")
        t.check("wagateway (WhatsApp (API gateway))" in out, "bitlbee lists the wagateway protocol")
        irc.say("account add wagateway 3C5A9F0E1B2D tok-8d1f2a9e77c4", "Account successfully added")
        out = irc.say("account wagateway set", "vendor", 5)
        missing = [o for o in OPTIONS if o + " = " not in out]
        t.check(not missing, "account options are settable in bitlbee", f"missing: {missing}")

        for k, v in [("api_base", f"http://127.0.0.1:{emu_port}"), ("client_token", "ctk-55aa09bb31"),
                     ("relay_url", f"ws://127.0.0.1:{relay_port}"), ("relay_token", CLIENT)]:
            irc.say(f"account wagateway set {k} {v}", k)
        # Nicks from the vendor's names (bitlbee's nick_format), where it has them.
        irc.say("account wagateway set nick_format %full_name", "nick_format")
        out = irc.say("account wagateway on", "Logged in", 10)
        t.check("Logged in" in out, "the account logs in against the vendor", out[-300:])
        if "Live sync" not in out:
            out += irc.read_until("Live sync", 5)
        t.check(out.count("Live sync: following wagateway-relay.") == 1,
                "&bitlbee says once that the relay is followed", out[-300:])

        # `chat list` prints Index/Title/Topic: the id is the title, the group's name the topic.
        out = irc.say("chat list wagateway", "Bairro Vila Nova", 10)
        row = next((ln for ln in out.splitlines() if GROUP in ln), "")
        t.check("Bairro Vila Nova" in row, "chat list shows each group's id beside its name", out[-400:])
        index = re.search(r":\s*(\d+)\s+" + re.escape(GROUP), row)
        out = irc.say(f"chat add wagateway !{index.group(1) if index else 0} #vizinhos", "Chatroom", 5)
        t.check("Chatroom successfully added" in out, "chat add wagateway !N takes the listed group", out[-300:])
        irc.send("JOIN #vizinhos")
        out = irc.read_until("Admins:", 10)
        out += irc.read_until("NICK CarlaDias", 3)
        t.check(all(f"_{p}!" in out for p in ("5511999999999", "5544999999999", "5544977777777")) and
                re.search(r":_5544977777777!\S+ NICK :?CarlaDias", out) is not None,
                "joining the channel shows the participants, named by nick_format %full_name", out[-600:])
        t.check("4 participants. Owner: Ana Souza (5511999999999). Admins: 5511988888888." in out,
                "the join's summary names the owner and the admins", out[-400:])
        t.check(f"GET /instances/3C5A9F0E1B2D/token/tok-8d1f2a9e77c4/light-group-metadata/{GROUP}" not in out and
                not [r for r in vendor_requests(emu_port) if " " in r["path"] or "%20" in r["path"]],
                "no title with spaces reaches the vendor", str([r["path"] for r in vendor_requests(emu_port)]))

        # A group's name typed instead of its id, as bitlbee users read it in `chat list`.
        irc.say('chat add wagateway "solar bloco a" #bloco', "Chatroom", 5)
        irc.send("JOIN #bloco")
        out = irc.read_until("_5521900000001", 10)
        t.check("_5521900000001!" in out and any("group-metadata/120363011111111111-group" in r["path"]
                                                  for r in vendor_requests(emu_port)),
                "chat add with a group's name joins that group", out[-400:])
        irc.send("PART #bloco")

        irc.send("PRIVMSG #vizinhos :/admins")
        out = irc.read_until("Owner:", 5)
        t.check("Owner: Ana Souza (5511999999999). Admins: 5511988888888." in out,
                "/admins typed as channel text names them (bitlbee shows no ~ or @)", out[-300:])
        irc.send("WHOIS CarlaDias")
        out = irc.read_until(" 318 ", 5)
        t.check(re.search(r" 311 tester CarlaDias \S+ \S+ \* :Carla Dias", out) is not None,
                "WHOIS shows the vendor's name as the real name", out[-300:])
        irc.send("PRIVMSG #vizinhos :/help")
        out = irc.read_until("/refresh", 5)
        t.check("/kick PHONE[,PHONE...] [reason]" in out and "/admins" in out and "Type /help" not in out,
                "/help typed as channel text lists the commands", out[-400:])
        irc.send("PRIVMSG #vizinhos :/help approve")
        out = irc.read_until("approve PHONE", 5)
        t.check("/approve PHONE[,PHONE...]: approve" in out, "/help COMMAND gives its syntax", out[-300:])

        irc.send("KICK #vizinhos _5544999999999 :spam links")
        out = irc.read_until("Removed 1 of 1.", 10)
        removes = [r for r in vendor_requests(emu_port) if r["path"].endswith("/remove-participant")]
        t.check(len(removes) == 1 and removes[0]["body"] == json.dumps(
                    {"groupId": GROUP, "phones": ["5544999999999"]}, separators=(",", ":"))
                and removes[0]["client_token"] == "ctk-55aa09bb31",
                "IRC KICK reaches Z-API's remove-participant", str(removes))
        t.check("Removed 1 of 1." in out and re.search(r":_5544999999999!\S+ (PART|KICK|QUIT)", out) is not None,
                "the kicked nick leaves the channel and the outcome is said", out[-400:])

        irc.send("PRIVMSG #vizinhos :/requests")
        out = irc.read_until("Z-API has no API to list them", 5)
        t.check("Z-API has no API to list them" in out, "commands typed as channel text run", out[-300:])

        # A group message through the relay is a PRIVMSG from the participant's nick
        # (the Z-API docs' text example with the documented group fields).
        post_webhook(relay_port, {"type": "ReceivedCallback", "isGroup": True, "instanceId": "3C5A9F0E1B2D",
                                  "messageId": "3EB0E2E2E2E2E2E2", "phone": GROUP, "participantPhone": "5544977777777",
                                  "senderName": "Vizinha", "fromMe": False, "momment": 1732300000000,
                                  "status": "RECEIVED", "text": {"message": "bom dia, vizinhos <3"}})
        out = irc.read_until("vizinhos <3", 10)  # bitlbee dates a message of the past
        t.check(re.search(r":\S+!_?5544977777777@\S+ PRIVMSG #vizinhos :[^\r\n]*bom dia, vizinhos <3", out) is not None,
                "a relayed group message appears as PRIVMSG from the participant's nick (named by nick_format)", out[-400:])

        # Text typed in the channel is a WhatsApp message to the group (Z-API send-text).
        irc.send("PRIVMSG #vizinhos :bom dia <todos> & boa semana")
        sends = []
        for _ in range(50):
            sends = [r for r in vendor_requests(emu_port) if r["path"].endswith("/send-text")]
            if sends:
                break
            time.sleep(0.1)
        t.check(len(sends) == 1 and json.loads(sends[0]["body"]) == {"phone": GROUP, "message": "bom dia <todos> & boa semana"},
                "text typed in the channel reaches Z-API's send-text", str(sends))
        # A line mentioning this account carries the IRC nick (bitlbee drops libpurple's
        # highlight flag; IRC clients highlight on the nick), and Tab's "nick: " is a
        # WhatsApp mention (Z-API "mentioned", as its "Mention member" page shows).
        post_webhook(relay_port, {"type": "ReceivedCallback", "isGroup": True, "instanceId": "3C5A9F0E1B2D",
                                  "messageId": "3EB0E3E3E3E3E3E3", "phone": GROUP, "participantPhone": "5544977777777",
                                  "senderName": "Vizinha", "fromMe": False, "momment": 1732300001000,
                                  "status": "RECEIVED", "text": {"message": "@5511988888888 pode ver?"}})
        out = irc.read_until("pode ver?", 10)
        t.check(re.search(r"PRIVMSG #vizinhos :[^\r\n]*@tester pode ver\?", out) is not None,
                "a message mentioning this account shows the IRC nick, so the IRC client highlights it", out[-400:])
        post_webhook(relay_port, {"type": "ReceivedCallback", "isGroup": True, "instanceId": "3C5A9F0E1B2D",
                                  "messageId": "3EB0E4E4E4E4E4E4", "phone": GROUP, "participantPhone": "5511988888888",
                                  "fromMe": True, "momment": 1732300002000,
                                  "status": "SENT", "text": {"message": "escrito no celular"}})
        out = irc.read_until("escrito no celular", 10)
        t.check(re.search(r"PRIVMSG #vizinhos :[^\r\n]*escrito no celular", out) is not None,
                "a message typed on the phone shows in the channel", out[-400:])
        irc.send("PRIVMSG #vizinhos :CarlaDias: bom dia")
        wait_for(lambda: len([r for r in vendor_requests(emu_port) if r["path"].endswith("/send-text")]) > 1, 5)
        sends = [r for r in vendor_requests(emu_port) if r["path"].endswith("/send-text")]
        t.check(len(sends) == 2 and json.loads(sends[1]["body"]) == {
                    "phone": GROUP, "message": "@5544977777777 bom dia", "mentioned": ["5544977777777"]},
                "addressing a nick (Tab's 'nick: ') mentions that participant on WhatsApp", str(sends[1:]))
        # A refresh re-reads the roster: nobody unchanged leaves or joins again.
        before = len([r for r in vendor_requests(emu_port) if r["path"].endswith("/group-metadata/" + GROUP)])
        irc.send("PRIVMSG #vizinhos :/refresh")
        out = irc.read_until("Reloading", 5)
        wait_for(lambda: len([r for r in vendor_requests(emu_port)
                              if r["path"].endswith("/group-metadata/" + GROUP)]) > before, 5)
        out += irc.read_until(" PART ", 2)
        t.check("Reloading" in out and not re.search(r":_55\d+!\S+ (PART|JOIN|QUIT)", out),
                "/refresh changes nothing for unchanged participants", out[-400:])

        # A join request through the relay becomes a bitlbee question; "no" declines it.
        post_webhook(relay_port, {"type": "ReceivedCallback", "isGroup": True, "instanceId": "3C5A9F0E1B2D",
                                  "phone": GROUP, "participantPhone": "5544911111111",
                                  "momment": int(time.time() * 1000),
                                  "notification": "MEMBERSHIP_APPROVAL_REQUEST",
                                  "notificationParameters": ["5544911111111"], "requestMethod": "invite_link"})
        asked = irc.read_until("asks to join", 15)
        asked += irc.read_until("/requests lists", 3)
        t.check("asks to join" in asked and "(null)" not in asked,
                "the join request question has no (null) line", asked[-400:])
        answered = ""
        t_no = time.time()
        if "asks to join" in asked:
            answered = irc.say("no", "Declined", 10)
        rejects = []
        for _ in range(100):
            rejects = [r for r in vendor_requests(emu_port) if r["path"].endswith("/reject-participant")]
            if rejects:
                break
            time.sleep(0.1)
        print(f"# reject reached the vendor {time.time() - t_no:.1f}s after 'no'", flush=True)
        t.check("asks to join" in asked and len(rejects) == 1 and "5544911111111" in rejects[0]["body"],
                "a relayed join request is asked in bitlbee, and 'no' declines it",
                f"after {time.time() - t_no:.1f}s asked={'asks to join' in asked} rejects={rejects} vendor saw: "
                + " ".join(r['method'] + ' ' + r['path'].rsplit('/', 1)[-1] for r in vendor_requests(emu_port)))

        irc.send("PART #vizinhos")
        time.sleep(1)
        leaves = [r for r in vendor_requests(emu_port) if "leave" in r["path"]]
        t.check(not leaves, "/part does not leave the WhatsApp group", str(leaves))

        # The relay goes away: one line when it changes, not one per retry.
        stop([relay])
        out = irc.read_until("not reachable", 10)
        out += irc.read_until("never", 4)  # two more retries (1 s, 2 s) pass meanwhile
        t.check(out.count("The relay is not reachable") == 1,
                "the relay's loss is said once in &bitlbee, not on every retry", out[-400:])
        irc.send("QUIT")
    finally:
        stop(procs)
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if t.failures else 0


if __name__ == "__main__":
    sys.exit(main())
