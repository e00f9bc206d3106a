"""Fault tests (SECURITY.md, "No data lost"): run Huiyin on loopback, break it, count what survived.

    .venv/bin/python bench/faults.py            # the full run, about 7 minutes (`make faults`)
    .venv/bin/python bench/faults.py --quick    # baseline, one worker kill, one database restart (< 1 min)

Everything listens on 127.0.0.1 only and lives in a temporary directory that is removed afterwards
(also on Ctrl-C). The script starts

- a throwaway PostgreSQL 15 cluster (Debian's /usr/lib/postgresql/15/bin), or uses an empty
  database named by HUIYIN_DATABASE_URL (then the database restart is skipped);
- gunicorn with three sync workers under config.settings.prod (plain HTTP on loopback);
- a local SMTP server (aiosmtpd) that records the X-Huiyin-Message-Id of every message it accepts;
- the notification sender: the project's scheduler running `outbox_deliver` every second;
- a staff driver that accepts and assigns anonymous portal cases (an e-mail to the leader and to
  the handler each) and declines named ones (an SMS to the petitioner, console backend);
- concurrent submitters posting portal submissions with an Idempotency-Key, retrying a connection
  error, a 5xx or a 429 with the same key and body, as a real client does.

Phases, each bounded in time, the load going on throughout: baseline; kill -9 of a web worker
(a busy one when there is one) every 45 s; database crash (`pg_ctl stop -m immediate`, timed to
strike just after the mail server accepted a message, before the sender could record it) and
crash recovery; mail server down and back; the notification sender killed with kill -9 twice in
mid-batch (at a random moment, then just after the mail server accepted a message) and
restarted (`--only WORD,…` runs only the phases whose name has one of the words). After each
phase the submitters pause, the outbox drains and the script checks: every acknowledged
submission is stored exactly once with its content's SHA-256 under the acknowledged case number,
no case appears that no client sent, every e-mail and SMS row of the outbox was received (and
marked sent) once, and the audit chain verifies. One table is printed; the exit code is 1 if
anything was lost, duplicated or broken.

A notification is delivered at least once with a stable Message-ID: a sender killed after the
mail server accepted a message and before the row was marked sent sends it again after the lease.
That one message per kill is shown as "resent" (the receiver drops it by its Message-ID); any
other repeat counts as a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email
import hashlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PGBIN = Path(os.environ.get("HUIYIN_PGBIN", "/usr/lib/postgresql/15/bin"))
HOST = "127.0.0.1"
PORTAL_UNIT = "FT-OFF"
LEASE_SECONDS = 30  # the sender's claim lease in this run (production default: 300 s)
SMS_LINE = re.compile(r"^\[sms ([0-9a-f-]{36})\]", re.M)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for(predicate, *, timeout: float, every: float = 0.2, what: str = "") -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(every)
    if what:
        log(f"timed out waiting for {what}")
    return False


# Infrastructure ---------------------------------------------------------------------------------


class Postgres:
    """A throwaway cluster in `root`, listening on loopback only. Run as `postgres` when we are root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "pgdata"
        self.port = free_port()
        self.url = f"postgresql://postgres@{HOST}:{self.port}/huiyin"

    def _run(self, *args: str) -> None:
        cmd = [str(a) for a in args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)  # noqa: S603

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run(PGBIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
        # Migrating is many small DDL transactions: without fsync it is several times faster.
        self.start(durable=False)
        self._run(PGBIN / "createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", "huiyin")

    def start(self, *, durable: bool = True) -> None:
        # Under load the durability settings are the defaults: an acknowledged commit must survive the crash.
        options = f"-p {self.port} -k {self.root} -c listen_addresses={HOST} -c max_connections=100"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(PGBIN / "pg_ctl", "-D", self.data, "-l", self.root / "pg.log", "-w", "-o", options, "start")

    def make_durable(self) -> None:
        """After the setup: a clean stop (its checkpoint writes everything) and a start with the defaults."""
        self._run(PGBIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        subprocess.run(["sync"], check=False)  # noqa: S607 - what fsync=off left in the page cache reaches the disk
        self.start()

    def crash(self) -> None:
        self._run(PGBIN / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(PGBIN / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")


class MailSink:
    """An SMTP server on loopback that records the Huiyin message id of every message it accepts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: Counter[str] = Counter()
        self.delay = 0.0
        self.lock = threading.Lock()
        self._controller = None
        self._hook = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)  # a slower server: the sender spends its batch time here
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.received[message.get("X-Huiyin-Message-Id", "")] += 1
        hook = self.take_hook()
        if hook is not None:
            hook()  # the fault strikes after the message is kept and before the sender hears "250"
        return "250 Message accepted for delivery"

    def arm(self, hook) -> None:
        """Run `hook` once, when the next message has been accepted and before the client gets the answer."""
        with self.lock:
            self._hook = hook

    def take_hook(self):
        with self.lock:
            hook, self._hook = self._hook, None
        return hook

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname=HOST, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def up(self) -> bool:
        return self._controller is not None

    def total(self) -> int:
        with self.lock:
            return sum(self.received.values())

    def snapshot(self) -> Counter[str]:
        with self.lock:
            return Counter(self.received)


class Process:
    """A child process in its own session, logging to a file, ended by its pid only."""

    def __init__(self, name: str, cmd: list[str], env: dict, logfile: Path) -> None:
        self.name, self.cmd, self.env, self.logfile = name, cmd, env, logfile
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        out = open(self.logfile, "ab")  # noqa: SIM115 - handed to the child, closed with it
        self.proc = subprocess.Popen(  # noqa: S603
            self.cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        out.close()

    @property
    def pid(self) -> int:
        return self.proc.pid if self.proc else 0

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self, timeout: float = 15) -> None:
        if not self.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # the group we started: the master and its workers
            self.proc.wait()

    def tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        return ""


class Gunicorn(Process):
    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        with contextlib.suppress(OSError):
            return [int(p) for p in path.read_text().split()]
        return []

    def kill_worker(self) -> tuple[int, bool]:
        workers = self.workers()
        if not workers:
            return 0, False
        busy = [pid for pid in workers if self._state(pid) in "RD"]
        victim = random.choice(busy or workers)  # a busy one if any: most likely in the middle of a request
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)  # a worker we started (child of our gunicorn master)
        return victim, bool(busy)

    @staticmethod
    def _state(pid: int) -> str:
        with contextlib.suppress(OSError, IndexError):
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return "?"


# Clients ----------------------------------------------------------------------------------------


@dataclass
class Sent:
    phase: str
    key: str
    sha256: str
    body: bytes
    case_no: str = ""
    status: int = 0
    attempts: int = 0
    rejected: str = ""
    seconds: float = 0.0  # from the first attempt to the acknowledgement


class Submitters:
    """N threads, each posting one submission after another and retrying it as a real client would."""

    def __init__(self, port: int, count: int, *, give_up_after: float = 120.0) -> None:
        self.port = port
        self.count = count
        self.give_up_after = give_up_after
        self.sent: list[Sent] = []
        self.lock = threading.Lock()
        self.phase = ""
        self.running = threading.Event()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._loop, name=f"submitter-{i}", daemon=True) for i in range(count)]
        self._busy = 0
        self._cond = threading.Condition()

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def resume(self, phase: str) -> None:
        self.phase = phase
        self.running.set()

    def pause(self, timeout: float = 180) -> None:
        """Stop starting new submissions and wait until every one under way is settled."""
        self.running.clear()
        with self._cond:
            self._cond.wait_for(lambda: self._busy == 0, timeout=timeout)

    def stop(self) -> None:
        self.stopping.set()
        self.running.set()

    def _loop(self) -> None:
        rng = random.Random()
        while not self.stopping.is_set():
            self.running.wait()
            if self.stopping.is_set():
                return
            with self._cond:
                if not self.running.is_set():
                    continue
                self._busy += 1
            try:
                self._submit(rng)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()
            time.sleep(rng.uniform(0.05, 0.3))

    def _submit(self, rng: random.Random) -> None:
        token = uuid.uuid4().hex
        content = f"故障测试 {token}：二车间{rng.randint(1, 12)}月加班费未按时发放，请核实。"
        named = rng.random() < 0.2
        body = {"type": rng.choice(["claim", "suggestion"]), "subject": "加班费未发放", "content": content}
        if named:
            body |= {"anonymous": False, "contact": f"139{rng.randint(0, 99999999):08d}"}
        else:
            body |= {"anonymous": True}
        raw = json.dumps(body, ensure_ascii=False).encode()
        item = Sent(self.phase, f"ft-{token}", hashlib.sha256(content.encode()).hexdigest(), raw)
        with self.lock:
            self.sent.append(item)
        began = time.monotonic()
        deadline = began + self.give_up_after
        pause = 0.2
        while True:
            item.attempts += 1
            status, answer = self._post(item)
            item.status = status
            if status in (200, 201):
                item.case_no = answer.get("case_no", "")
                item.seconds = time.monotonic() - began
                return
            if status and status < 500 and status != 429:
                item.rejected = f"{status} {answer}"[:300]
                return
            if time.monotonic() > deadline or self.stopping.is_set():
                return
            time.sleep(pause * rng.uniform(0.5, 1.5))
            pause = min(pause * 2, 3.0)

    def _post(self, item: Sent) -> tuple[int, dict]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request(
                "POST",
                "/api/v1/portal/submissions",
                body=item.body,
                headers={"Content-Type": "application/json", "Idempotency-Key": item.key},
            )
            response = conn.getresponse()
            data = response.read()
            try:
                answer = json.loads(data) if data else {}
            except ValueError:
                answer = {"raw": data[:200].decode(errors="replace")}
            return response.status, answer if isinstance(answer, dict) else {}
        except (OSError, http.client.HTTPException):
            return 0, {}  # connection refused or reset, timeout: retry with the same key
        finally:
            conn.close()


# Checks -----------------------------------------------------------------------------------------


@dataclass
class Row:
    phase: str
    sent: int = 0
    acked: int = 0
    stored: int = 0
    lost: int = 0
    duplicated: int = 0
    phantom: int = 0
    rejected: int = 0
    notes: list[str] = field(default_factory=list)
    expected_notifications: int = 0
    delivered_notifications: int = 0
    resent: int = 0
    resent_allowed: int = 0
    notification_faults: int = 0
    audit: str = ""
    audit_ok: bool = True

    @property
    def ok(self) -> bool:
        return (
            not self.lost
            and not self.duplicated
            and not self.phantom
            and not self.rejected
            and not self.notification_faults
            and self.resent <= self.resent_allowed
            and self.delivered_notifications == self.expected_notifications
            and self.audit_ok
        )


def db_cases(url: str) -> list[tuple[int, str, str]]:
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        return conn.execute("SELECT id, case_no, content FROM cases_case").fetchall()


def db_outbox(url: str, after_id: int = 0) -> list[tuple[int, str, str, str]]:
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        return [
            (pk, str(mid), channel, status)
            for pk, mid, channel, status in conn.execute(
                "SELECT id, message_id, channel, status FROM notify_outboxmessage "
                "WHERE channel IN ('email', 'sms') AND id > %s",
                [after_id],
            ).fetchall()
        ]


def db_scalar(url: str, sql: str) -> int:
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        return conn.execute(sql).fetchone()[0] or 0


def check_submissions(row: Row, sent: list[Sent], cases: list[tuple[int, str, str]], preexisting: set[int]) -> None:
    by_hash: dict[str, list[str]] = {}
    for pk, case_no, content in cases:
        if pk in preexisting:
            continue
        by_hash.setdefault(hashlib.sha256(content.encode()).hexdigest(), []).append(case_no)
    mine = [s for s in sent if s.phase == row.phase]
    row.sent = len(mine)
    row.acked = sum(1 for s in mine if s.case_no)
    row.rejected = sum(1 for s in mine if s.rejected)
    for s in mine:
        found = by_hash.get(s.sha256, [])
        row.stored += 1 if found else 0
        if len(found) > 1:
            row.duplicated += 1
        if s.case_no and s.case_no not in found:
            row.lost += 1
            if len(row.notes) < 5:
                row.notes.append(f"acknowledged {s.case_no} ({s.key}) stored as {found or 'nothing'}")
    for s in mine:
        if s.rejected and len(row.notes) < 5:
            row.notes.append(f"{s.key} rejected: {s.rejected}")


def phantom_cases(sent: list[Sent], cases: list[tuple[int, str, str]], preexisting: set[int]) -> list[str]:
    hashes = {s.sha256 for s in sent}
    return [
        case_no
        for pk, case_no, content in cases
        if pk not in preexisting and hashlib.sha256(content.encode()).hexdigest() not in hashes
    ]


# The run ----------------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    seconds: float
    actions: list = field(default_factory=list)  # (at seconds, label, callable)
    sender_kills: int = 0


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="huiyin-faults-"))
        os.chmod(self.tmp, 0o755)  # noqa: S103 - postgres (another user) must reach its data directory
        self.pg: Postgres | None = None
        self.mail = MailSink()
        self.web: Gunicorn | None = None
        self.sender: Process | None = None
        self.driver: Process | None = None
        self.submitters: Submitters | None = None
        self.rows: list[Row] = []
        self.preexisting: set[int] = set()
        self.outbox_mark = 0
        self.delivered_mark: Counter[str] = Counter()
        self.db_url = os.environ.get("HUIYIN_DATABASE_URL", "")
        self.web_port = free_port()
        self.secrets: dict[str, str] = {}
        self.checker: subprocess.Popen | None = None

    # Setup and teardown

    def env(self) -> dict:
        """The children's environment: production settings, fresh keys, everything on loopback."""
        from cryptography.fernet import Fernet

        env = {k: v for k, v in os.environ.items() if not k.startswith("HUIYIN_")}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.prod",
            PYTHONUNBUFFERED="1",
            HUIYIN_DATABASE_URL=self.db_url,
            HUIYIN_DATA_DIR=str(self.tmp / "data"),
            HUIYIN_SECRET_KEY=self._secret("SECRET_KEY", secrets.token_urlsafe(50)),
            HUIYIN_FIELD_KEYS=self._secret("FIELD_KEYS", Fernet.generate_key().decode()),
            HUIYIN_MATCH_KEY=self._secret("MATCH_KEY", secrets.token_urlsafe(32)),
            HUIYIN_ALLOWED_HOSTS=HOST,
            HUIYIN_SSL_REDIRECT="false",  # plain HTTP on loopback; the JSON API sets no secure cookie
            HUIYIN_HSTS_SECONDS="0",
            HUIYIN_EMAIL_URL=f"smtp://{HOST}:{self.mail.port}",
            HUIYIN_SITE_URL=f"http://{HOST}:{self.web_port}",
            HUIYIN_PORTAL_UNIT_CODE=PORTAL_UNIT,
            HUIYIN_NOTIFY_RETRY_SECONDS="1",
            HUIYIN_NOTIFY_RETRY_MAX_SECONDS="4",
            HUIYIN_NOTIFY_LEASE_SECONDS=str(LEASE_SECONDS),
            HUIYIN_CONN_MAX_AGE="60",
        )
        return env

    def _secret(self, name: str, value: str) -> str:
        return self.secrets.setdefault(name, value)

    def worker(self, name: str) -> Process:
        return Process(name, [PY, __file__, "_worker", name], self.env(), self.tmp / f"{name}.log")

    def setup(self) -> None:
        (self.tmp / "data").mkdir()
        if not self.db_url:
            if not (PGBIN / "initdb").exists():
                raise SystemExit(f"{PGBIN}/initdb not found: install postgresql-15 or set HUIYIN_DATABASE_URL")
            self.pg = Postgres(self.tmp)
            log(f"PostgreSQL 15 on {HOST}:{self.pg.port}")
            self.pg.init()
            self.db_url = self.pg.url
        else:
            log("using HUIYIN_DATABASE_URL (the database restart phase is skipped)")
        t = time.monotonic()
        setup = subprocess.run(  # noqa: S603
            [PY, __file__, "_worker", "setup"], cwd=ROOT, env=self.env(), capture_output=True, text=True, timeout=300
        )
        if setup.returncode:
            raise SystemExit(f"migrate or setup failed:\n{setup.stdout}\n{setup.stderr}")
        log(f"migrated, organisation and staff created in {time.monotonic() - t:.0f} s")
        if self.pg is not None:
            self.pg.make_durable()
        self.preexisting = {pk for pk, _, _ in db_cases(self.db_url)}
        self.outbox_mark = db_scalar(self.db_url, "SELECT max(id) FROM notify_outboxmessage")
        self.mail.start()
        log(f"SMTP sink on {HOST}:{self.mail.port}")
        self.web = Gunicorn(
            "gunicorn",
            [
                str(Path(PY).parent / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"{HOST}:{self.web_port}",
                "--workers",
                str(self.args.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
            ],
            self.env(),
            self.tmp / "gunicorn.log",
        )
        self.web.start()
        if not wait_for(self._healthy, timeout=60, what="gunicorn"):
            raise SystemExit(f"gunicorn did not start:\n{self.web.tail()}")
        self.warm_up()
        log(f"gunicorn with {self.args.workers} sync workers on http://{HOST}:{self.web_port}/ (warmed up)")
        self.sender = self.worker("sender")
        self.sender.start()
        self.driver = self.worker("driver")
        self.submitters = Submitters(self.web_port, self.args.submitters)
        self.submitters.start()

    def warm_up(self) -> None:
        """Each worker loads the URLs and views on its first request: let that happen before measuring."""

        def hit() -> None:
            conn = http.client.HTTPConnection(HOST, self.web_port, timeout=60)
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn.request("GET", "/api/v1/portal/case", headers={"Host": HOST})
                conn.getresponse().read()
            conn.close()

        for _ in range(2):
            threads = [threading.Thread(target=hit) for _ in range(self.args.workers * 2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

    def _healthy(self) -> bool:
        conn = http.client.HTTPConnection(HOST, self.web_port, timeout=5)
        try:
            conn.request("GET", "/healthz", headers={"Host": HOST})
            return conn.getresponse().status == 200
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()

    def cleanup(self) -> None:
        if self.submitters:
            self.submitters.stop()
        if self.checker is not None and self.checker.poll() is None:
            self.checker.kill()
            self.checker.wait()
        for proc in (self.driver, self.sender, self.web):
            if proc is not None:
                with contextlib.suppress(Exception):
                    proc.stop()
        with contextlib.suppress(Exception):
            self.mail.stop()
        if self.pg:
            self.pg.stop()
        if self.args.keep:
            log(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # Phases

    def phases(self) -> list[Phase]:
        quick = self.args.quick
        s = self.args.scale
        kill_every = 45 * s if not quick else 6
        phases = [Phase("baseline", (8 if quick else 45) * s)]
        worker_phase = Phase("web worker kill -9", (10 if quick else 95) * s)
        at = 3.0 if quick else 5.0
        while at < worker_phase.seconds:
            worker_phase.actions.append((at, "kill -9 a gunicorn worker", self.kill_web_worker))
            at += kill_every
            if quick:
                break
        phases.append(worker_phase)
        if self.pg is not None:
            phases.append(
                Phase(
                    "database crash + recovery",
                    (14 if quick else 60) * s,
                    [(3 if quick else 15 * s, "pg_ctl stop -m immediate; start", self.crash_database)],
                )
            )
        if not quick:
            phases.append(
                Phase(
                    "mail server down",
                    60 * s,
                    [(10 * s, "stop the SMTP server", self.mail_down), (35 * s, "start the SMTP server", self.mail_up)],
                )
            )
            phases.append(
                Phase("sender kill -9 mid-batch", 60 * s, [(5 * s, "burst, kill the sender", self.kill_sender)])
            )
        if self.args.only:
            phases = [p for p in phases if any(word in p.name for word in self.args.only.split(","))]
        return phases

    def kill_web_worker(self, phase: Phase) -> None:
        pid, busy = self.web.kill_worker()
        log(f"  killed gunicorn worker {pid} ({'busy with a request' if busy else 'idle'})")

    def strike_at_accept(self, fault, *, wait: float = 15) -> bool:
        """Run `fault` when the mail server has just accepted a message, before the sender could record it
        (or at once if no message comes within `wait` seconds). Returns whether it struck at a message."""
        struck = threading.Event()

        def hook() -> None:
            try:
                fault()
            finally:
                struck.set()

        self.mail.arm(hook)
        if struck.wait(wait):
            return True
        if self.mail.take_hook() is not None:
            hook()
            return False
        struck.wait(60)  # the hook was taken just now: let it finish
        return True

    def crash_database(self, phase: Phase) -> None:
        at_message = self.strike_at_accept(self.pg.crash)
        where = "right after the mail server accepted a message" if at_message else "with no message under way"
        log(f"  PostgreSQL stopped {where} (immediate: no checkpoint, crash recovery on start)")
        time.sleep(2 if self.args.quick else 5)
        self.pg.start()
        log("  PostgreSQL started")

    def mail_down(self, phase: Phase) -> None:
        self.mail.stop()
        log("  SMTP server stopped")

    def mail_up(self, phase: Phase) -> None:
        self.mail.start()
        log("  SMTP server started")

    def kill_sender(self, phase: Phase) -> None:
        """A burst of notifications and a slow mail server; the sender is killed (kill -9) twice in
        mid-batch: once at a random moment, once just after the mail server accepted a message and
        before the sender could record it (the message then goes out again after the lease)."""
        self.mail.delay = 0.04
        burst = subprocess.run(  # noqa: S603
            [PY, __file__, "_worker", "burst", "60"], cwd=ROOT, env=self.env(), capture_output=True, text=True
        )
        log(f"  burst: {burst.stdout.strip() or burst.stderr.strip()[-300:]}")
        before = self.mail.total()
        if wait_for(lambda: self.mail.total() >= before + 15, timeout=40, every=0.01, what="a batch"):
            time.sleep(random.uniform(0, 0.05))
            self.sender.kill9()
            phase.sender_kills += 1
            log(f"  killed the sender at a random moment, {self.mail.total() - before} messages into its batch")
            time.sleep(1)
            self.sender.start()
        before = self.mail.total()
        if wait_for(lambda: self.mail.total() >= before + 10, timeout=40, every=0.01, what="a batch"):
            at_message = self.strike_at_accept(self.sender.kill9, wait=30)
            phase.sender_kills += 1
            where = "just after the mail server accepted a message" if at_message else "with no message under way"
            log(f"  killed the sender {where}")
            time.sleep(1)
            self.sender.start()
        self.mail.delay = 0.0

    def run_phase(self, phase: Phase) -> Row:
        log(f"phase: {phase.name} ({phase.seconds:.0f} s)")
        self.driver.start()
        self.submitters.resume(phase.name)
        start = time.monotonic()
        pending = sorted(phase.actions, key=lambda a: a[0])
        while True:
            elapsed = time.monotonic() - start
            while pending and pending[0][0] <= elapsed:
                _, label, action = pending.pop(0)
                log(f"  {label}")
                action(phase)
            if elapsed >= phase.seconds:
                break
            time.sleep(0.2)
        t = time.monotonic()
        self.submitters.pause()
        self.driver.stop()
        log(f"  load paused in {time.monotonic() - t:.1f} s")
        if not self.sender.alive():
            self.sender.start()
        if not self.mail.up:
            self.mail.start()
        return self.check(phase)

    def drain(self, timeout: float) -> bool:
        def drained() -> bool:
            try:
                return (
                    db_scalar(
                        self.db_url,
                        "SELECT count(*) FROM notify_outboxmessage WHERE channel IN ('email', 'sms') AND status = 'pending'",
                    )
                    == 0
                )
            except Exception:  # the database may still be recovering
                return False

        return wait_for(drained, timeout=timeout, every=0.5, what="the outbox to drain")

    def sms_received(self) -> Counter[str]:
        with contextlib.suppress(OSError):
            return Counter(SMS_LINE.findall((self.tmp / "sender.log").read_text(errors="replace")))
        return Counter()

    def check(self, phase: Phase) -> Row:
        row = Row(phase.name)
        t = time.monotonic()
        self.drain(timeout=LEASE_SECONDS * 3 + 30)
        log(f"  outbox drained in {time.monotonic() - t:.1f} s")
        time.sleep(0.5)
        cases = db_cases(self.db_url)
        check_submissions(row, self.submitters.sent, cases, self.preexisting)
        phantoms = phantom_cases(self.submitters.sent, cases, self.preexisting)
        row.phantom = len(phantoms)
        if phantoms:
            row.notes.append(f"cases no client sent: {phantoms[:5]}")
        # Notifications created in this phase: each e-mail/SMS row received once and marked sent.
        rows = db_outbox(self.db_url, self.outbox_mark)
        received = self.mail.snapshot() + self.sms_received()
        new_received = received - self.delivered_mark
        row.expected_notifications = len(rows)
        ids = set()
        for _pk, mid, channel, status in rows:
            ids.add(mid)
            count = received.get(mid, 0)
            if count:
                row.delivered_notifications += 1
                row.resent += count - 1
            if status != "sent" or not count:
                row.notification_faults += 1
                if len(row.notes) < 8:
                    row.notes.append(f"{channel} {mid}: status {status}, received {count}")
        strays = [mid for mid in new_received if mid not in ids]
        if strays:
            row.notification_faults += len(strays)
            row.notes.append(f"received messages of no new outbox row: {strays[:3]}")
        row.resent_allowed = phase.sender_kills
        self.outbox_mark = max([pk for pk, *_ in rows], default=self.outbox_mark)
        self.delivered_mark = received
        t = time.monotonic()
        row.audit_ok, row.audit = self.audit_verify()
        log(f"  audit chain verified in {time.monotonic() - t:.1f} s")
        times = sorted(x.seconds for x in self.submitters.sent if x.phase == phase.name and x.case_no)
        retried = sum(1 for x in self.submitters.sent if x.phase == phase.name and x.attempts > 1)
        if times:
            log(
                f"  acknowledged in {times[len(times) // 2]:.2f} s (median), {times[int(len(times) * 0.95)]:.2f} s "
                f"(95th), {times[-1]:.2f} s (max); {retried} needed a retry"
            )
        log(
            f"  checked: {row.sent} sent, {row.acked} acknowledged, {row.stored} stored, "
            f"{row.delivered_notifications}/{row.expected_notifications} notifications; {row.audit}"
        )
        return row

    def audit_verify(self) -> tuple[bool, str]:
        """Ask the checker process (one Django start for the whole run) to verify the audit chain."""
        if self.checker is None or self.checker.poll() is not None:
            self.checker = subprocess.Popen(  # noqa: S603
                [PY, __file__, "_worker", "checker"],
                cwd=ROOT,
                env=self.env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=open(self.tmp / "checker.log", "ab"),  # noqa: SIM115 - the child's
                text=True,
                start_new_session=True,
            )
        self.checker.stdin.write("verify\n")
        self.checker.stdin.flush()
        line = self.checker.stdout.readline()
        if not line:
            return False, "the checker died: " + (self.tmp / "checker.log").read_text(errors="replace")[-300:]
        answer = json.loads(line)
        return answer["ok"], answer["text"]

    def total_row(self) -> Row:
        """Everything again at the end: what was stored in an earlier phase is still there."""
        total = Row("all phases, rechecked at the end")
        cases = db_cases(self.db_url)
        for phase_row in self.rows:
            again = Row(phase_row.phase)
            check_submissions(again, self.submitters.sent, cases, self.preexisting)
            for name in ("sent", "acked", "stored", "lost", "duplicated", "rejected"):
                setattr(total, name, getattr(total, name) + getattr(again, name))
            total.notes += again.notes
        total.phantom = len(phantom_cases(self.submitters.sent, cases, self.preexisting))
        for name in ("expected_notifications", "delivered_notifications", "resent", "resent_allowed"):
            setattr(total, name, sum(getattr(r, name) for r in self.rows))
        total.notification_faults = sum(r.notification_faults for r in self.rows)
        total.audit_ok, total.audit = self.audit_verify()
        return total

    def execute(self) -> int:
        started = time.monotonic()
        try:
            self.setup()
            for phase in self.phases():
                self.rows.append(self.run_phase(phase))
            total = self.total_row()
        except KeyboardInterrupt:
            log("interrupted; cleaning up")
            return 130
        except BaseException:
            for proc in (self.web, self.sender, self.driver):
                if proc is not None and proc.logfile.exists():
                    print(f"--- {proc.name} log (last lines) ---\n{proc.tail()}", file=sys.stderr)
            raise
        finally:
            self.cleanup()
        print_table([*self.rows, total])
        elapsed = time.monotonic() - started
        ok = all(r.ok for r in [*self.rows, total])
        print(f"\n{'PASS' if ok else 'FAIL'} in {elapsed:.0f} s")
        return 0 if ok else 1


def print_table(rows: list[Row]) -> None:
    head = (
        "phase",
        "sent",
        "acknowledged",
        "stored",
        "lost",
        "duplicated",
        "phantom",
        "notifications sent/expected",
        "resent",
        "audit chain",
    )
    lines = []
    for r in rows:
        note = f"{r.resent} (≤{r.resent_allowed})" if r.resent_allowed else str(r.resent)
        lines.append(
            (
                r.phase,
                str(r.sent),
                str(r.acked),
                str(r.stored),
                str(r.lost),
                str(r.duplicated),
                str(r.phantom),
                f"{r.delivered_notifications}/{r.expected_notifications}",
                note,
                ("ok, " if r.audit_ok else "BROKEN: ") + r.audit,
            )
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(head)]
    print()
    print(" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for line in lines:
        print(" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))
    notes = [(r.phase, n) for r in rows for n in r.notes]
    for r in rows:
        if r.rejected:
            notes.append((r.phase, f"{r.rejected} submissions rejected with a 4xx"))
    if notes:
        print("\nfindings:")
        for phase, note in notes[:20]:
            print(f"  {phase}: {note}")
    print(
        "\nsent: submissions posted; acknowledged: answered 201/200 with a case number; stored: found in the "
        "database by content SHA-256; lost: acknowledged but not stored under that case number; duplicated: "
        "stored more than once; phantom: cases no client sent. resent: repeats with the same Message-ID, at "
        "most one per sender kill (the message in flight)."
    )


# Django side (run as `faults.py _worker NAME` in a child process) --------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def worker_setup() -> None:
    """Migrate, then create a small organisation and three staff members with e-mail addresses."""
    from django.core.management import call_command

    from huiyin.org.models import OrgUnit, User
    from huiyin.org.services import unit_create, user_create

    call_command("migrate", "--noinput", verbosity=0)
    if OrgUnit.objects.filter(code="FT-G").exists():
        print("organisation exists")
        return
    group = unit_create(name="故障测试集团", code="FT-G", kind="group")
    company = unit_create(name="故障测试公司", code="FT-A", kind="company", parent=group)
    unit_create(name="故障测试信访办", code=PORTAL_UNIT, kind="department", parent=company, is_petition_office=True)
    plant = unit_create(name="故障测试一厂", code="FT-P1", kind="branch", parent=company)
    for username, unit, role, name in (
        ("ft-office", company, "office", "李信访"),
        ("ft-leader", company, "leader", "赵领导"),
        ("ft-handler", plant, "handler", "张承办"),
    ):
        user = user_create(username=username, password=None, unit=unit, roles=[role], full_name=name)
        User.objects.filter(pk=user.pk).update(email=f"{username}@faults.invalid")
    print("organisation and staff created")


def _staff():
    from huiyin.org.models import OrgUnit, User

    return (
        User.objects.get(username="ft-office"),
        User.objects.get(username="ft-leader"),
        User.objects.get(username="ft-handler"),
        OrgUnit.objects.get(code="FT-P1"),
    )


def _handle_registered(limit: int) -> int:
    """Accept and assign anonymous portal cases (two e-mails each); decline named ones (one SMS)."""
    from django.db import transaction

    from huiyin.cases.models import Case
    from huiyin.cases.services import case_accept, case_assign, case_not_accept
    from huiyin.cases.states import CaseStatus

    office, leader, handler, plant = _staff()
    done = 0
    for case in Case.objects.filter(status=CaseStatus.REGISTERED, unit__code=PORTAL_UNIT).order_by("id")[:limit]:
        with transaction.atomic():
            if case.anonymous:
                case_accept(case=case, actor=office)
                case_assign(
                    case=case,
                    actor=office,
                    handling_unit=plant,
                    leader=leader,
                    team=[handler],
                    plan="核实考勤与发放记录",
                )
            else:
                case_not_accept(case=case, actor=office, reason="不属于信访事项受理范围，请通过劳动仲裁解决。")
        done += 1
    return done


def worker_driver() -> None:
    """Staff at work: every second, handle a few newly registered portal cases, until SIGTERM."""
    from django.db import connections

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.is_set():
        try:
            _handle_registered(limit=4)
        except Exception as exc:  # the database restarting: reconnect on the next round
            print(f"driver: {type(exc).__name__}: {exc}", flush=True)
            connections.close_all()
        stop.wait(1.0)


def worker_checker() -> None:
    """Verify the audit chain each time a line arrives on stdin; answer one JSON line."""
    from django.db import connections

    from huiyin.audit.services import audit_verify

    for _line in sys.stdin:
        connections.close_all()  # never reuse a connection from before a database restart
        try:
            result = audit_verify()
            text = (
                f"{result.checked} records verified"
                if result.ok
                else f"broken at #{result.first_broken_seq}: {result.reason}"
            )
            answer = {"ok": result.ok, "text": text}
        except Exception as exc:
            answer = {"ok": False, "text": f"{type(exc).__name__}: {exc}"[:300]}
        print(json.dumps(answer), flush=True)


def worker_burst(count: int) -> None:
    print(f"{_handle_registered(limit=count)} cases handled")


def worker_sender() -> None:
    """The notification sender: the project's scheduler running `outbox_deliver` every second."""
    from huiyin.core.scheduling import PeriodicJob
    from huiyin.notify.services import outbox_deliver
    from huiyin.workflow.scheduler import Scheduler

    job = PeriodicJob(name="outbox_deliver", func=lambda: outbox_deliver().as_dict(), every_seconds=1)
    scheduler = Scheduler(jobs={"outbox_deliver": job}, first_delay=0)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.stop_event.set())
    scheduler.run_forever()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_worker"]:
        _django()
        name = argv[1]
        if name == "burst":
            worker_burst(int(argv[2]))
        else:
            {"setup": worker_setup, "driver": worker_driver, "sender": worker_sender, "checker": worker_checker}[name]()
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="baseline, one worker kill, one database crash")
    parser.add_argument("--submitters", type=int, default=4, help="concurrent submitting clients (default 4)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every phase's duration")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, database)")
    parser.add_argument("--only", default="", help="comma-separated words: run only the phases whose name has one")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # cleaned up like Ctrl-C
    return Run(args).execute()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
