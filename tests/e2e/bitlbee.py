#!/usr/bin/env python3
"""bitlbee-libpurple with the built plugin, spoken to as an IRC user would.

Prints TAP. Skips (with the reason) only when bitlbee is not installed.
"""
import os, shutil, socket, subprocess, sys, tempfile, time

BITLBEE = shutil.which("bitlbee") or "/usr/sbin/bitlbee"
PLUGIN = os.path.join(os.environ["WAG_PLUGIN_DIR"], "libwagateway.so")
OPTIONS = ["vendor", "client_token", "api_base", "relay_url", "relay_token",
           "removals_per_minute", "leave_on_close", "poll_seconds"]


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


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    if not os.path.exists(BITLBEE):
        print("1..0 # SKIP bitlbee is not installed (apt-get install bitlbee-libpurple)")
        return 0
    tmp = tempfile.mkdtemp(prefix="wag-bitlbee-")
    os.makedirs(os.path.join(tmp, "plugins", "purple"))
    os.makedirs(os.path.join(tmp, "cfg"))
    # bitlbee loads libpurple plugins from PluginDir/purple.
    shutil.copy(PLUGIN, os.path.join(tmp, "plugins", "purple"))
    conf = os.path.join(tmp, "bitlbee.conf")
    with open(conf, "w") as f:
        f.write("[settings]\nRunMode = ForkDaemon\nAuthMode = Open\n"
                f"ConfigDir = {tmp}/cfg\nPluginDir = {tmp}/plugins\n")
    port = free_port()
    proc = subprocess.Popen([BITLBEE, "-F", "-n", "-p", str(port), "-i", "127.0.0.1", "-c", conf],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = 0
    try:
        for _ in range(50):
            try:
                irc = Irc(port)
                break
            except OSError:
                time.sleep(0.1)
        else:
            print("Bail out! bitlbee did not answer on its port")
            return 1
        print("1..2")
        out = irc.say("help purple", "wagateway")
        ok = "wagateway (WhatsApp (API gateway))" in out
        failures += not ok
        print(("ok" if ok else "not ok") + " 1 bitlbee lists the wagateway protocol")
        irc.say("account add wagateway 3C5A9F0E TOKEN", "Account successfully added")
        out = irc.say("account wagateway set", "vendor", 5)
        missing = [o for o in OPTIONS if o + " = " not in out]
        failures += bool(missing)
        print(("ok" if not missing else "not ok") + " 2 account options are settable in bitlbee"
              + (f" # missing: {missing}" if missing else ""))
        irc.send("QUIT")
    finally:
        proc.terminate()
        proc.wait(5)
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
