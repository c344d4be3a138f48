#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 the purple-wagateway authors
"""The README's "Try it in two minutes", done as it says: wagateway-demo
runs, and what it prints (which must be what the README shows) is typed into
bitlbee over IRC and into Finch's New Account dialog; the user sees the
groups, the roster, the /kick result and the join request. Pidgin gets the
same account from a file and shows the community and the join request.

Prints TAP. Skips (with the reason) only when a host program is not
installed.
"""
import os, re, shutil, socket, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import BITLBEE, PLUGIN, Tap, Tmux, free_port, start_bitlbee, stop, wait_for  # noqa: E402

DEMO = os.environ.get("WAG_DEMO")
README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")
FINCH = shutil.which("finch")
TMUX = shutil.which("tmux")
README_PORT = "8780"
PLAN = 22


def readme_section():
    text = open(README, encoding="utf-8").read()
    m = re.search(r"^## Try it in two minutes\n(.*?)(?=^## )", text, re.M | re.S)
    return m.group(1) if m else ""


def readme_bitlbee_lines(section):
    for block in re.findall(r"^```\n(.*?)^```", section, re.M | re.S):
        if block.startswith("account add wagateway"):
            return block.splitlines()
    return []


def start_demo(tmp, port, *args):
    """Runs wagateway-demo as the README says; returns the process, its
    output file and the text it printed before the first call arrived."""
    out = os.path.join(tmp, f"demo-{port}.out")
    p = subprocess.Popen([DEMO, "--port", str(port)] + list(args), stdout=open(out, "w"),
                         stderr=subprocess.STDOUT, stdin=subprocess.PIPE, text=True)
    banner = wait_for(lambda: "appear below" in open(out, encoding="utf-8").read()
                      and open(out, encoding="utf-8").read(), 10) or open(out, encoding="utf-8").read()
    return p, out, banner


def printed_bitlbee_lines(banner):
    m = re.search(r"^bitlbee:.*\n((?:  .*\n)+)", banner, re.M)
    return [line.strip() for line in m.group(1).splitlines()] if m else []


def printed_settings(banner):
    """The Pidgin/Finch fields the demo prints: field -> value (without its gloss)."""
    return dict(re.findall(r"^  ([A-Za-z][^:\n]*):\s+(.+?)(?: {2,}\(.*\))?$", banner.split("\nbitlbee:")[0], re.M))


class Irc:
    """An IRC user: everything the server said stays in self.log."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.s.settimeout(0.2)
        self.log = ""
        self.send("NICK tester")
        self.send("USER tester 0 * :tester")
        self.wait(lambda: "&bitlbee" in self.log, 10)

    def send(self, line):
        self.s.sendall((line + "\r\n").encode())

    def pump(self):
        try:
            data = self.s.recv(65536)
            self.log += data.decode(errors="replace")
        except socket.timeout:
            pass

    def wait(self, cond, seconds):
        """Reads until cond() holds; returns whether it did."""
        end = time.time() + seconds
        while not cond() and time.time() < end:
            self.pump()
        return bool(cond())

    def since(self, mark):
        return self.log[mark:]

    def type_line(self, line):
        """A line typed in &bitlbee (/join is an IRC command), then waits for
        bitlbee's answer to it."""
        mark = len(self.log)
        if line.startswith("/join "):
            self.send("JOIN " + line.split()[1])
            return
        self.send("PRIVMSG &bitlbee :" + line)
        done = ("Logged in" if line.startswith("account") and line.endswith(" on") else
                "chatrooms" if line.startswith("chat list") else
                "Chatroom successfully added" if line.startswith("chat add") else
                ":root!")
        self.wait(lambda: done in self.since(mark), 15)


def connect_irc(port):
    for _ in range(50):
        try:
            return Irc(port)
        except OSError:
            time.sleep(0.1)
    return None


def bitlbee_part(t, tmp):
    bitlbee, port = start_bitlbee(tmp)
    procs = [bitlbee]
    demo_port = free_port()
    try:
        demo, demo_out, banner = start_demo(tmp, demo_port)
        procs.append(demo)
        printed = printed_bitlbee_lines(banner)
        readme = [line.replace(README_PORT, str(demo_port)) for line in readme_bitlbee_lines(readme_section())]
        t.check(printed and printed == readme, "wagateway-demo prints the README's bitlbee lines",
                f"printed {printed} README {readme}")

        irc = connect_irc(port)
        if not irc:
            t.check(False, "bitlbee answers on its port")
            return
        for line in readme:
            mark = len(irc.log)
            irc.type_line(line)
            if line == "account wagateway on":
                t.check("Logged in" in irc.since(mark), "the account logs in to the demo", irc.since(mark)[-300:])
            elif line == "chat list wagateway":
                names = ("Bairro Vila Nova", "Futebol de Quinta", "Feira Orgânica da Praça",
                         "Condomínio Solar", "Solar Bloco A", "Solar Bloco B")
                # The id the demo prints for the community is the one to add.
                community = re.search(r"^  Condomínio Solar +(\S+)", banner, re.M)
                t.check(all(n in irc.since(mark) for n in names) and community is not None
                        and community.group(1) in irc.since(mark),
                        "chat list shows the groups and the community, by the id the demo prints",
                        f"{community.group(0) if community else banner[-600:]} | {irc.since(mark)[-800:]}")
            elif line.startswith("/join"):
                roster = ("5511999999999", "5511988888888", "5511977776666", "5544999999999",
                          "5544977777777", "5521988887777")
                irc.wait(lambda: all(f"_{p}" in irc.since(mark) for p in roster), 10)
                t.check(all(f"_{p}" in irc.since(mark) for p in roster),
                        "joining the channel shows the six participants as nicks", irc.since(mark)[-600:])

        # A line typed in the demo's terminal is a group message, as the banner says;
        # naming your number makes it a mention, which carries your IRC nick.
        mark = len(irc.log)
        demo.stdin.write("bom dia, vizinhos! @5511988888888 viu o aviso?\n")
        demo.stdin.flush()
        irc.wait(lambda: "viu o aviso?" in irc.since(mark), 10)
        t.check("Type a line here" in banner and re.search(
                    r":_5511977776666!\S+ PRIVMSG #vilanova :[^\r\n]*bom dia, vizinhos! @tester viu o aviso\?",
                    irc.since(mark)) is not None,
                "a line typed in the demo's terminal arrives as a message mentioning you (@tester)",
                irc.since(mark)[-400:])
        mark = len(irc.log)
        irc.send("KICK #vilanova _5544999999999 :spam links")
        irc.wait(lambda: "Removed 1 of 1." in irc.since(mark), 10)
        t.check("Removed 1 of 1." in irc.since(mark)
                and re.search(r":_5544999999999!\S+ (PART|KICK|QUIT)", irc.since(mark)) is not None,
                "/kick: the nick leaves the channel and the outcome is said", irc.since(mark)[-400:])
        t.check(wait_for(lambda: "POST /instances/DEMO1234/token/TOKEN/remove-participant" in open(demo_out).read(), 5),
                "the demo's terminal shows the remove-participant call", open(demo_out).read()[-400:])

        # The README promises the question within seconds of the login.
        irc.wait(lambda: "5544911111111 asks to join Bairro Vila Nova" in irc.log, 15)
        t.check("5544911111111 asks to join Bairro Vila Nova" in irc.log,
                "the join request is asked in &bitlbee", irc.log[-600:])
        mark = len(irc.log)
        irc.send("PRIVMSG &bitlbee :no")
        irc.wait(lambda: "Declined 1 of 1" in irc.since(mark), 10)
        t.check("Declined 1 of 1" in irc.since(mark), "answering no declines it", irc.since(mark)[-400:])
        irc.send("QUIT")

        # The other vendors the demo plays: what it prints works as well.
        for vendor, asks in (("greenapi", False), ("wawp", True)):
            demo, demo_out, banner = start_demo(tmp, free_port(), "--vendor", vendor)
            procs.append(demo)
            irc = connect_irc(port)
            for line in printed_bitlbee_lines(banner):
                if line.startswith("chat add"):
                    break
                irc.type_line(line)
            plain = ("Bairro Vila Nova", "Futebol de Quinta", "Feira Orgânica da Praça")
            ok = all(n in irc.log for n in plain) and (
                not asks or irc.wait(lambda: "5544911111111 asks to join Bairro Vila Nova" in irc.log, 15))
            # The man page: the token is printed as TOKEN, wherever the vendor reads it.
            calls = open(demo_out, encoding="utf-8").read().split("appear below")[-1]
            t.check(ok and "Solar" not in irc.log.split("Logged in")[-1]
                    and "TOKEN" in calls and "demo-token" not in calls,
                    f"--vendor {vendor}: the printed lines log in and list the plain groups"
                    + (", and the join request is asked" if asks else "")
                    + ", and the call log shows the token as TOKEN", irc.log[-600:] + calls[-600:])
            if vendor == "greenapi":
                # No relay for Green API: the plugin reads the instance's notification queue.
                for line in printed_bitlbee_lines(banner):
                    if line.startswith("chat add") or line.startswith("/join"):
                        irc.type_line(line)
                mark = len(irc.log)
                demo.stdin.write("oi do Green API\n")
                demo.stdin.flush()
                irc.wait(lambda: "oi do Green API" in irc.since(mark), 15)
                t.check(re.search(r"PRIVMSG #vilanova :[^\r\n]*oi do Green API", irc.since(mark)) is not None,
                        "--vendor greenapi: a line typed in the demo arrives through Green API's queue",
                        irc.since(mark)[-400:])
            if vendor == "wawp":
                # Wawp's rosters carry no names: its contacts do (WHOIS real name).
                for line in printed_bitlbee_lines(banner):
                    if line.startswith("chat add") or line.startswith("/join"):
                        irc.type_line(line)

                def named():
                    mark = len(irc.log)
                    irc.send("WHOIS _5511999999999")
                    irc.wait(lambda: " 318 " in irc.since(mark), 3)
                    return re.search(r" 311 \S+ _5511999999999 \S+ \S+ \* :Ana Paula Souza", irc.since(mark))

                t.check(wait_for(named, 15), "--vendor wawp: WHOIS shows the name from Wawp's contacts",
                        irc.log[-600:])
            irc.send("QUIT")
    finally:
        stop(procs)


FINCH_PREFS = """<?xml version='1.0' encoding='UTF-8' ?>
<pref version='1' name='/'><pref name='finch'>
 <pref name='blist'>
  <pref name='size'><pref name='width' type='int' value='40'/><pref name='height' type='int' value='30'/></pref>
  <pref name='position'><pref name='x' type='int' value='0'/><pref name='y' type='int' value='0'/></pref>
 </pref>
 <pref name='conversations'>
  <pref name='size'><pref name='width' type='int' value='150'/><pref name='height' type='int' value='45'/></pref>
  <pref name='position'><pref name='x' type='int' value='42'/><pref name='y' type='int' value='0'/></pref>
 </pref>
</pref></pref>
"""
SELECTED = "\x1b[1m\x1b[37m\x1b[44m"  # how Finch draws the selected row of a list
DOWN = "\x1bOB"  # the Down key as Finch's terminfo knows it (tmux would send ESC [ B)


def readme_settings(section):
    """The README's table: Pidgin/Finch field -> value."""
    return {m.group(1): m.group(2).strip("`") for m in
            re.finditer(r"^\s*\| ([^|]+?) \| [^|]+ \| ([^|]+?) \|$", section, re.M)}


def finch_part(t, tmp):
    """Finch's first start opens New Account by itself: filled in with the
    keys the README names, the account connects to the demo."""
    demo_port = free_port()
    home = os.path.join(tmp, "home")
    conf = os.path.join(tmp, "purple")
    os.makedirs(os.path.join(conf, "plugins"))
    os.makedirs(home)
    shutil.copy(PLUGIN, os.path.join(conf, "plugins"))
    with open(os.path.join(conf, "prefs.xml"), "w") as f:
        f.write(FINCH_PREFS)  # the window layout only: wide enough for the names
    finch = None
    procs = []
    try:
        demo, demo_out, banner = start_demo(tmp, demo_port)
        procs.append(demo)
        printed = printed_settings(banner)
        table = {k: v.replace(README_PORT, str(demo_port)) for k, v in readme_settings(readme_section()).items()}
        differ = {k: (v, table.get(k)) for k, v in printed.items() if table.get(k) != v}
        t.check(len(printed) == 8 and not differ, "the README's settings are those wagateway-demo prints",
                f"printed {printed}; differ {differ}")
        env = dict(os.environ, HOME=home, TERM="screen-256color", LANG="C.UTF-8")
        env.pop("G_DEBUG", None)  # the host's own warnings are not ours to make fatal
        finch = Tmux(tmp, f"{FINCH} -c {conf} 2>{tmp}/finch.err", env)
        screen, keys = finch.screen, finch.keys
        if not wait_for(lambda: "New Account" in screen() and "Protocol:" in screen(), 15):
            t.check(False, "Finch opens New Account at its first start", screen()[-600:])
            return
        # Protocol: Down opens the list, typing finds the entry, Enter takes it.
        keys("Down")
        keys("Wh", literal=True)
        keys("Enter")
        if not wait_for(lambda: "Relay token" in screen(), 5):
            t.check(False, "choosing the protocol shows the plugin's options", screen()[-600:])
            return
        fields = [printed["Username"], printed["Password"], None, None, None,
                  printed["Z-API account security token (Client-Token)"], printed["API base URL"],
                  printed["Relay URL"], printed["Relay token"], None, None, None,
                  None,  # adds_per_minute
                  None, None,  # messages, messages_per_minute
                  None, None]
        # Tab passes Alias, Remember password and Vendor (Z-API already), then
        # the options the demo does not need (removals_per_minute,
        # leave_on_close, adds_per_minute, poll_seconds), and Cancel, to Save.
        for value in fields:
            keys("Tab")
            if value:
                keys(value, literal=True)
        keys("Enter")
        names = ("Condomínio Solar", "Solar Bloco A", "Solar Bloco B", "Bairro Vila Nova", "Futebol de Quinta")
        # Saved, the dialog closes onto the Accounts window; Alt+C closes that.
        if wait_for(lambda: "New Account" not in screen(), 5) and "enable/disable accounts" in screen():
            keys("M-c")
        shown = wait_for(lambda: all(n in screen() for n in names) and screen(), 15)
        t.check(bool(shown), "the account connects and the buddy list shows the community and the groups",
                screen()[-1200:])

        def front(text):
            """Brings the window showing text to the front (Alt+N cycles)."""
            def find():
                for _ in range(4):
                    if text in screen():
                        return True
                    keys("M-n")
                    time.sleep(0.3)
                return False
            return find

        question = front("5544911111111 asks to join Bairro Vila Nova")
        asked = wait_for(question, 15, step=0.5)
        # Finch draws a caption's "_" as it is: the buttons must read Accept and Reject.
        t.check(asked and "Accept" in screen() and "_Accept" not in screen() and "_Reject" not in screen(),
                "the join request opens a window with the question and Accept/Reject buttons", screen()[-1200:])
        if asked:
            keys("Tab")  # from Accept to Reject
            keys("Enter")
        said = wait_for(front("Declined 1 of 1 join requests."), 10, step=0.5)
        t.check(bool(wait_for(lambda: "/reject-participant" in open(demo_out).read(), 10)) and said,
                "Reject reaches the vendor (the demo's terminal shows the call) and a notice says so",
                open(demo_out).read()[-400:] + screen()[-600:])
        if said:
            keys("Enter")  # OK

        def selected():
            return [row.split("\x1b")[0] for row in finch.screen(escapes=True).split(SELECTED)[1:]]
        for _ in range(12):  # the arrow keys select the group
            if any("Bairro Vila Nova" in row for row in selected()):
                break
            keys(DOWN, literal=True)
        keys("Enter")
        shown = wait_for(lambda: "List of 6 users" in screen() and screen(), 10)
        t.check(bool(shown) and all(p in shown for p in ("5511999999999", "5511977776666", "5544999999999")),
                "Enter on the group opens its chat with the six participants", screen()[-1200:])
        keys("/kick 5544999999999 spam links", literal=True)
        keys("Enter")
        shown = wait_for(lambda: "Removed 1 of 1." in screen() and screen(), 10)
        t.check(bool(shown) and "5544999999999 left the room (removed by 5511988888888)" in shown,
                "/kick in the chat: the participant leaves and the outcome is said", screen()[-1200:])
    finally:
        if finch:
            finch.kill()
        stop(procs)


def pidgin_part(t, tmp):
    """Pidgin under Xvfb with the account the README's table describes (set
    in accounts.xml: no test clicks through GTK dialogs): the buddy list
    holds the community with its chats and the join request dialog opens."""
    from pidgin import start_xvfb, windows  # the Pidgin test's own helpers
    demo_port = free_port()
    home = os.path.join(tmp, "home")
    conf = os.path.join(tmp, "purple")
    os.makedirs(os.path.join(conf, "plugins"))
    os.makedirs(home)
    shutil.copy(PLUGIN, os.path.join(conf, "plugins"))
    procs = []
    try:
        demo, demo_out, banner = start_demo(tmp, demo_port)
        procs.append(demo)
        p = printed_settings(banner)
        options = {"vendor": "zapi", "client_token": p["Z-API account security token (Client-Token)"],
                   "api_base": p["API base URL"], "relay_url": p["Relay URL"], "relay_token": p["Relay token"]}
        with open(os.path.join(conf, "accounts.xml"), "w") as f:
            f.write("<?xml version='1.0' encoding='UTF-8' ?>\n<account version='1.0'><account>"
                    f"<protocol>prpl-wagateway</protocol><name>{p['Username']}</name>"
                    f"<password>{p['Password']}</password><settings>"
                    + "".join(f"<setting name='{k}' type='string'>{v}</setting>" for k, v in options.items())
                    + "</settings><settings ui='gtk-gaim'><setting name='auto-login' type='bool'>1</setting>"
                    "</settings></account></account>\n")
        xvfb, display = start_xvfb(tmp)
        procs.append(xvfb)
        env = dict(os.environ, HOME=home, DISPLAY=display, LANG="C.UTF-8", NO_AT_BRIDGE="1")
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        env.pop("G_DEBUG", None)  # the host's own warnings are not ours to make fatal
        procs.insert(0, subprocess.Popen(["pidgin", "-c", conf], env=env, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL))

        def community():
            try:
                x = open(os.path.join(conf, "blist.xml"), encoding="utf-8").read()
            except OSError:
                return None
            m = re.search(r"<group name='Condomínio Solar'>(.*?)</group>", x, re.S)
            return m and all(i in m.group(1) for i in ("120363011111111111-group", "120363022222222222-group"))
        t.check(bool(wait_for(community, 20)) and "Buddy List" in windows(env),
                "Pidgin: the buddy list holds the community with its linked groups", f"windows: {windows(env)}")
        t.check(bool(wait_for(lambda: "Join request" in windows(env), 15)),
                "Pidgin: the join request opens a dialog", f"windows: {windows(env)}")
    finally:
        stop(procs)


def main():
    missing = [n for n, p in (("bitlbee", os.path.exists(BITLBEE)), ("finch", FINCH), ("tmux", TMUX),
                              ("pidgin", shutil.which("pidgin")), ("Xvfb", shutil.which("Xvfb")),
                              ("xwininfo", shutil.which("xwininfo"))) if not p]
    if missing:
        print(f"1..0 # SKIP not installed: {', '.join(missing)} "
              "(apt-get install bitlbee-libpurple finch tmux pidgin xvfb x11-utils)")
        return 0
    tmp = tempfile.mkdtemp(prefix="wag-demo-")
    t = Tap(PLAN)
    try:
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            r = subprocess.run([DEMO, "--port", str(busy.getsockname()[1])], capture_output=True, text=True,
                               timeout=10)
        t.check(r.returncode == 1 and "pick another with --port" in r.stderr,
                "a port in use is said plainly, with the way out", f"status {r.returncode}: {r.stderr}")
        bitlbee_part(t, os.path.join(tmp, "bitlbee"))
        finch_part(t, os.path.join(tmp, "finch"))
        pidgin_part(t, os.path.join(tmp, "pidgin"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if t.failures or t.n != PLAN else 0


if __name__ == "__main__":
    sys.exit(main())
