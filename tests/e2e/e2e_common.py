# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 the purple-wagateway authors
"""What the host tests share: the stand-alone vendor emulator, the real relay,
and TAP output."""
import json, os, re, shutil, socket, subprocess, time, urllib.request

EMU = os.environ.get("WAG_EMU")
RELAY = os.environ.get("WAG_RELAY")
GROUP = "120363019502650977-group"
SECRET = "whsec-e2e-0123456789abcdef"
CLIENT = "client-e2e-0123456789abcdef"
PLUGIN = os.path.join(os.environ["WAG_PLUGIN_DIR"], "libwagateway.so")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_emu(vendor="zapi", *extra):
    p = subprocess.Popen([EMU, vendor, *extra], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(p.stdout.readline().strip().split("=")[1])
    return p, port


def start_relay(tmp):
    conf = os.path.join(tmp, "relay.conf")
    log = os.path.join(tmp, "relay.log")
    with open(conf, "w") as f:
        f.write(f"[relay]\nwebhook_secret={SECRET}\nclient_token={CLIENT}\n")
    p = subprocess.Popen([RELAY, "--config", conf, "--listen", "127.0.0.1:0", "--db", os.path.join(tmp, "ev.db")],
                         stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    for _ in range(200):
        m = re.search(r"addr=127\.0\.0\.1:(\d+)", open(log).read())
        if m:
            return p, int(m.group(1))
        time.sleep(0.02)
    raise RuntimeError("relay did not start")


def vendor_requests(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__requests") as r:
        return json.load(r)


def post_webhook(port, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/webhook/zapi/{SECRET}", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req) as r:
        return r.status


class Tap:
    def __init__(self, plan):
        self.n = 0
        self.failures = 0
        print(f"1..{plan}", flush=True)

    def check(self, ok, what, detail=""):
        self.n += 1
        self.failures += not ok
        print(("ok" if ok else "not ok") + f" {self.n} {what}" + (f" # {detail}" if detail and not ok else ""), flush=True)


def stop(procs):
    for p in procs:
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()


INSTANCE, TOKEN, CLIENT_TOKEN = "3C5A9F0E1B2D", "tok-8d1f2a9e77c4", "ctk-55aa09bb31"


def purple_config(confdir, ui, emu_port, autojoin_setting, prefs):
    """A libpurple user dir as Pidgin or Finch keeps it: the plugin in
    plugins/, one Z-API account that logs in at start, the plain group
    saved as a chat the host joins at sign-on (autojoin_setting), and the
    host's window layout (prefs, a prefs.xml)."""
    os.makedirs(os.path.join(confdir, "plugins"), exist_ok=True)
    shutil.copy(PLUGIN, os.path.join(confdir, "plugins"))
    with open(os.path.join(confdir, "prefs.xml"), "w") as f:
        f.write(prefs)
    with open(os.path.join(confdir, "accounts.xml"), "w") as f:
        f.write(f"""<?xml version='1.0' encoding='UTF-8' ?>
<account version='1.0'>
 <account>
  <protocol>prpl-wagateway</protocol>
  <name>{INSTANCE}</name>
  <password>{TOKEN}</password>
  <settings>
   <setting name='vendor' type='string'>zapi</setting>
   <setting name='api_base' type='string'>http://127.0.0.1:{emu_port}</setting>
   <setting name='client_token' type='string'>{CLIENT_TOKEN}</setting>
  </settings>
  <settings ui='{ui}'>
   <setting name='auto-login' type='bool'>1</setting>
  </settings>
 </account>
</account>
""")
    with open(os.path.join(confdir, "blist.xml"), "w") as f:
        f.write(f"""<?xml version='1.0' encoding='UTF-8' ?>
<purple version='1.0'>
 <blist>
  <group name='WhatsApp Groups'>
   <chat proto='prpl-wagateway' account='{INSTANCE}'>
    <alias>Bairro Vila Nova</alias>
    <component name='group'>{GROUP}</component>
    <setting name='{autojoin_setting}' type='bool'>1</setting>
   </chat>
  </group>
 </blist>
</purple>
""")


def wait_for(fn, seconds, step=0.2):
    """Polls fn() until it returns something true; returns its last value."""
    end = time.time() + seconds
    while True:
        v = fn()
        if v or time.time() > end:
            return v
        time.sleep(step)


BITLBEE = shutil.which("bitlbee") or "/usr/sbin/bitlbee"


def start_bitlbee(tmp, log=subprocess.DEVNULL):
    """bitlbee-libpurple on a free port with the built plugin in its
    PluginDir/purple/ (where it loads libpurple plugins from); anyone may
    connect; its output goes to log. Returns the process and its port."""
    os.makedirs(os.path.join(tmp, "plugins", "purple"))
    os.makedirs(os.path.join(tmp, "cfg"))
    shutil.copy(PLUGIN, os.path.join(tmp, "plugins", "purple"))
    conf = os.path.join(tmp, "bitlbee.conf")
    with open(conf, "w") as f:
        f.write("[settings]\nRunMode = ForkDaemon\nAuthMode = Open\n"
                f"ConfigDir = {tmp}/cfg\nPluginDir = {tmp}/plugins\n")
    port = free_port()
    return subprocess.Popen([BITLBEE, "-F", "-n", "-p", str(port), "-i", "127.0.0.1", "-c", conf],
                            stdout=log, stderr=log), port


class Tmux:
    """A text-mode program in a 200x50 tmux session: what it shows
    (capture-pane) and keys typed into it."""

    def __init__(self, tmp, command, env):
        self.cmd = [shutil.which("tmux"), "-S", os.path.join(tmp, "tmux.sock")]
        subprocess.run(self.cmd + ["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "200", "-y", "50",
                                   command], env=env, check=True)

    def screen(self, escapes=False):
        """The text shown; with escapes, its colours as escape sequences."""
        return subprocess.run(self.cmd + ["capture-pane", "-p", "-t", "main"] + (["-e"] if escapes else ["-J"]),
                              capture_output=True, text=True).stdout

    def keys(self, *k, literal=False):
        subprocess.run(self.cmd + ["send-keys", "-t", "main"] + (["-l"] if literal else []) + list(k), check=True)

    def kill(self):
        subprocess.run(self.cmd + ["kill-server"], capture_output=True)
