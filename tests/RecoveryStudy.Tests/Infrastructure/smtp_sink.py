"""A real SMTP server on loopback for the mail tests (run with Debian's /usr/bin/python3).

Every accepted message is written to OUT_DIR as NNNNNN.eml, its envelope (MAIL FROM and RCPT TO) as
NNNNNN.envelope.json ({"mail_from": "...", "rcpt_tos": [...]}). Behaviour is read from
OUT_DIR/rules.json before each command, so a test can change it while the server runs:
  {"rcpt": {"someone@example.org": [550, "5.1.1 No such user"]},   # permanent or temporary per address
   "data_failures": [[451, "4.3.0 Try again later"]],              # consumed one per DATA, in order
   "drop_after_data": 0,                                           # close the connection after the body, N times
   "data_delay_ms": 0}                                             # wait this long before answering each DATA
Data failures may be any mix of codes (421, 451, 452, 550, 552...). OUT_DIR/sessions.log gets one line per
connection opened ("+ <unix time>"), closed ("- <unix time>") and message accepted ("250 <unix time>"), for
the concurrency and rate checks. With a third argument, an RFC 7662 introspection URL, the sink
requires AUTH XOAUTH2 (advertised without TLS, nothing else offered) and asks that URL whether the
token is active; sessions.log then also gets "auth-ok" or "auth-refused" per sign-in. A relay that is down is this process stopped; started again on the same
folder and port, it goes on counting from the messages already there.
"""
import asyncio, base64, json, os, sys, threading, time, urllib.parse, urllib.request
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult

out_dir, port = sys.argv[1], int(sys.argv[2])
introspection_url = sys.argv[3] if len(sys.argv) > 3 else None
lock = threading.Lock()
counter = [len([f for f in os.listdir(out_dir) if f.endswith(".eml")])]


def log_session(event):
    with open(os.path.join(out_dir, "sessions.log"), "a") as f:
        f.write(f"{event} {time.time():.3f}\n")


def rules():
    path = os.path.join(out_dir, "rules.json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def save_rules(r):
    path = os.path.join(out_dir, "rules.json")
    with open(path + ".tmp", "w") as f:
        json.dump(r, f)
    os.replace(path + ".tmp", path)


def token_active(user, token):
    data = urllib.parse.urlencode({"token": token}).encode()
    with urllib.request.urlopen(introspection_url, data=data, timeout=10) as answer:
        body = json.load(answer)
    # A client-credentials token names no user; a delegated one (Google) must name this one.
    return body.get("active") is True and body.get("username") in (None, "", user)


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = rules().get("rcpt", {}).get(address.lower())
        if answer:
            return f"{answer[0]} {answer[1]}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        delay = rules().get("data_delay_ms", 0)
        if delay:
            await asyncio.sleep(delay / 1000)
        with lock:
            r = rules()
            failures = r.get("data_failures", [])
            if failures:
                code, text = failures.pop(0)
                r["data_failures"] = failures
                save_rules(r)
                return f"{code} {text}"
            drop = r.get("drop_after_data", 0)
            counter[0] += 1
            name = os.path.join(out_dir, f"{counter[0]:06d}.eml")
            with open(name[:-4] + ".envelope.json", "w") as f:
                json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
            with open(name + ".tmp", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            os.replace(name + ".tmp", name)
            log_session("250")
            if drop:
                r["drop_after_data"] = drop - 1
                save_rules(r)
                server.transport.close()
                return "421 closing"
        return "250 OK queued"


class OAuthHandler(Handler):
    async def auth_XOAUTH2(self, server, args):
        """SASL XOAUTH2 (documented by Google and Microsoft, no RFC): base64 of "user=U" ^A "auth=Bearer T" ^A ^A."""
        if len(args) == 1:
            blob = await server.challenge_auth("")
        else:
            blob = base64.b64decode(args[1])
        fields = dict(p.split("=", 1) for p in blob.decode().split("\x01") if "=" in p)
        user, auth = fields.get("user", ""), fields.get("auth", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        if token and await asyncio.to_thread(token_active, user, token):
            log_session("auth-ok")
            return AuthResult(success=True, auth_data=user)
        log_session("auth-refused")
        # The XOAUTH2 error: a JSON challenge the client answers with an empty line, then the refusal.
        await server.challenge_auth(json.dumps({"status": "401", "schemes": "bearer", "scope": "mail"}))
        return AuthResult(success=False, handled=False, message="535 5.7.3 Authentication unsuccessful")


class CountedSMTP(SMTP):
    """Notes every connection opened and closed in sessions.log."""

    def connection_made(self, transport):
        log_session("+")
        super().connection_made(transport)

    def connection_lost(self, error):
        log_session("-")
        super().connection_lost(error)


class CountingController(Controller):
    def factory(self):
        return CountedSMTP(self.handler, **self.SMTP_kwargs)


if introspection_url:
    controller = CountingController(OAuthHandler(), hostname="127.0.0.1", port=port, data_size_limit=10_000_000,
                                    auth_required=True, auth_require_tls=False, auth_exclude_mechanism=["LOGIN", "PLAIN"])
else:
    controller = CountingController(Handler(), hostname="127.0.0.1", port=port, data_size_limit=10_000_000)
controller.start()
print("READY", flush=True)
try:
    threading.Event().wait()
finally:
    controller.stop()
