"""bench/fault: load and faults against the production server (issue 11, "hardening").

Builds a throwaway PostgreSQL database (dropped and recreated, migrated, `seed_demo`, a few
volunteer accounts made through invitations), serves it with gunicorn as production runs it
(`config/gunicorn.conf.py`, `config.settings.production`, Redis, the page cache on) on
loopback, and drives it for --duration seconds with public readers (lists, details, search,
the API, an export), volunteers who sign in and edit (new vendors and edits of published
ones, which wait for review as change requests) and a /healthz probe. A third of the way in
it restarts PostgreSQL (`pg_ctlcluster ... restart`: root only); two thirds in it kills one
gunicorn worker with SIGKILL (the master starts another). Then it prints: requests served,
answers by status and by phase (answered before, during the outage, after it, after the kill), the
503s of the outage, the time from PostgreSQL accepting connections again to the first
database-backed success and to the last error, and the lost-edit check: every edit that
was acknowledged (a redirect to its change request) is read back from the database, with
its record and its place in the record's history.

Exit status 1 when an acknowledged edit is missing or a 500 page or a traceback was served;
0 otherwise (the timings are reported, not judged). It is a script, not a test. The restart
stops every database of that PostgreSQL for a few seconds: anything else using it (other
tests) sees the outage too; `--cluster` and `--pg` can name a cluster of its own instead.

Only the standard library, plus psycopg (a project dependency) to watch PostgreSQL; the
project's tools run as programs, as in bench/main.py, whose helpers it shares.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import psycopg

from bench.main import (
    OUT,
    PYTHON,
    ROOT,
    Servers,
    children,
    django_env,
    log,
    run,
    start_gunicorn,
)
from bench.main import production_env as main_production_env
from bench.main import psql as run_psql

PASSWORD = "fault-" + secrets.token_urlsafe(12)  # noqa: S105 (a throwaway account's)
RUN_ID = secrets.token_hex(3)
UNAVAILABLE_TEXT = "The database is briefly unavailable"
SERVER_ERROR_TEXTS = ("Traceback (most recent call last)", "Something went wrong on our side")
PHASES = ("before", "outage", "after", "after kill")

SETUP = """
import json, os
from django.contrib.auth import get_user_model
from apps.accounts import services
from apps.agencies.models import Agency
from apps.deployments.models import Deployment
from apps.technologies.models import Technology
from apps.vendors.models import Vendor

User = get_user_model()
password = os.environ["FAULT_PASSWORD"]
admin = User.objects.create_superuser("fault-admin", "fault-admin@example.org", password)
volunteers = []
for number in range(int(os.environ["FAULT_EDITORS"])):
    _, token = services.invitation_create(
        invited_by=admin, email=f"volunteer{number}@example.org", role="volunteer"
    )
    user = services.invitation_accept(
        token=token, username=f"volunteer{number}", password=password
    )
    volunteers.append(user.username)
print(json.dumps({
    "volunteers": volunteers,
    "deployments": list(Deployment.objects.published().values_list("pk", flat=True)),
    "agencies": list(Agency.objects.published().values_list("slug", flat=True)),
    "vendors": list(Vendor.objects.published().values_list("slug", flat=True)),
    "technologies": list(Technology.objects.values_list("slug", flat=True)),
    "places": sorted({a.locality.split()[0] for a in Agency.objects.published() if a.locality}),
}))
"""

# Reads back every acknowledged edit (a JSON list in FAULT_ACKS) from the database.
VERIFY = """
import json, os
from apps.records.models import ChangeRequest

acks = json.load(open(os.environ["FAULT_ACKS"]))
problems = []
for ack in acks:
    where = f"change {ack['change']} ({ack['action']} by {ack['user']})"
    change = ChangeRequest.objects.filter(pk=ack["change"]).select_related("author").first()
    if change is None:
        problems.append(f"{where}: no such change request")
        continue
    if change.summary != ack["summary"] or change.author.username != ack["user"]:
        problems.append(f"{where}: another change ({change.summary!r})")
        continue
    record = change.record
    if record is None:
        problems.append(f"{where}: its record is gone")
        continue
    if not ChangeRequest.objects.for_record(record).filter(pk=change.pk).exists():
        problems.append(f"{where}: not in the record's history of changes")
    if ack["action"] == "create":
        if record.name != ack["name"]:
            problems.append(f"{where}: the record is called {record.name!r}")
        if change.version is None or not record.history.filter(history_id=change.version).exists():
            problems.append(f"{where}: its version is not in the record's history")
    elif change.payload.get("description") != [ack["description"]]:
        problems.append(f"{where}: the stored edit is not what was sent")
summaries = {ack["summary"] for ack in acks}
unacknowledged = ChangeRequest.objects.filter(
    author__username__startswith="volunteer", summary__startswith=os.environ["FAULT_PREFIX"]
).exclude(summary__in=summaries).count()
print(json.dumps({"checked": len(acks), "problems": problems, "unacknowledged": unacknowledged}))
"""


@dataclass
class Sample:
    """One request: when it started and ended (monotonic), who sent it and the answer."""

    start: float
    end: float
    who: str  # reader, editor, probe
    label: str
    status: int | None  # None: no HTTP answer (refused, reset, timed out)
    error: str = ""
    db_backed: bool = False
    server_error_page: bool = False
    plain_503: bool = False


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []
        self.acks = []

    def add(self, sample):
        with self.lock:
            self.samples.append(sample)

    def ack(self, **write):
        with self.lock:
            self.acks.append(write)


class FormParser(HTMLParser):
    """The fields of each form sent by POST on a page: what a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms, self.fields = [], None
        self._textarea = self._select = None
        self._first_option = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.fields = {}
            self.forms.append(self.fields)
        if self.fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "file", "button"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea, self.fields[name] = name, ""
        elif tag == "select" and name:
            self._select, self._first_option = name, True
            self.fields[name] = ""
        elif tag == "option" and self._select and ("selected" in attrs or self._first_option):
            # The selected option, or the first one when none is.
            self.fields[self._select] = attrs.get("value", "")
            self._first_option = False

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.fields = None

    def handle_data(self, data):
        if self._textarea and self.fields is not None:
            self.fields[self._textarea] += data


def form_fields(html, field):
    """The fields of the page's form that has `field` ({} if none has)."""
    parser = FormParser()
    parser.feed(html)
    form = next((form for form in parser.forms if field in form), {})
    # A textarea's first newline is not part of its value (HTML's rule).
    return {key: value.removeprefix("\n") for key, value in form.items()}


class Browser:
    """One visitor: a new connection per request (a killed worker then fails only the
    requests it was serving) and the cookies it was given, sent as a browser behind the
    TLS proxy would (X-Forwarded-Proto: https; the Secure cookies too)."""

    def __init__(self, port, recorder, who):
        self.port, self.recorder, self.who = port, recorder, who
        self.cookies = {}

    def request(self, method, path, *, label, form=None, db_backed=False):
        headers = {"X-Forwarded-Proto": "https", "User-Agent": "bench-fault"}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            origin = f"https://127.0.0.1:{self.port}"
            headers.update(Origin=origin, Referer=origin + path)
        start = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.recorder.add(
                Sample(
                    start, time.monotonic(), self.who, label, None, type(exc).__name__, db_backed
                )
            )
            return None, None, ""
        finally:
            connection.close()
        self._keep_cookies(response)
        text = content.decode("utf-8", "replace")
        sample = Sample(start, time.monotonic(), self.who, label, response.status, "", db_backed)
        sample.server_error_page = response.status == 500 or any(
            marker in text for marker in SERVER_ERROR_TEXTS
        )
        sample.plain_503 = (
            response.status == 503
            and UNAVAILABLE_TEXT in text
            and response.getheader("Retry-After") is not None
        )
        self.recorder.add(sample)
        return response.status, response, text

    def _keep_cookies(self, response):
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value, *attributes = rest.split(";")
            expired = any(
                a.strip().lower() in {"max-age=0"} or "1970" in a for a in attributes
            ) or value in {"", '""'}
            if expired:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()


# ---------------------------------------------------------------- the clients


def reader(browser, data, stop):
    """Public pages, as the anonymous traffic mixes them."""
    rng = random.Random()
    makers = [
        ("home", lambda: "/"),
        ("list", lambda: "/deployments/"),
        ("list filtered", lambda: f"/deployments/?technology={rng.choice(data['technologies'])}"),
        ("detail", lambda: f"/deployments/{rng.choice(data['deployments'])}/"),
        ("detail", lambda: f"/agencies/{rng.choice(data['agencies'])}/"),
        ("detail", lambda: f"/vendors/{rng.choice(data['vendors'])}/"),
        ("search", lambda: "/search/?" + urllib.parse.urlencode({"q": rng.choice(data["places"])})),
        ("api", lambda: f"/api/v1/deployments/?technology={rng.choice(data['technologies'])}"),
        ("api", lambda: f"/api/v1/deployments/{rng.choice(data['deployments'])}/"),
        (
            "export",
            lambda: f"/deployments/export.csv?technology={rng.choice(data['technologies'])}",
        ),
    ]
    while not stop.is_set():
        label, make = rng.choice(makers)
        browser.request("GET", make(), label=label)


def probe(browser, stop, every=0.05):
    """/healthz: never cached, one query: the database as the app sees it."""
    while not stop.is_set():
        browser.request("GET", "/healthz", label="healthz", db_backed=True)
        stop.wait(every)


def sign_in(browser, username, password, stop):
    while not stop.is_set():
        status, _, html = browser.request(
            "GET", "/accounts/login/", label="sign-in form", db_backed=True
        )
        fields = form_fields(html, "username") if status == 200 else {}
        if "csrfmiddlewaretoken" in fields:
            fields.update(username=username, password=password)
            status, response, _ = browser.request(
                "POST", "/accounts/login/", label="sign in", form=fields, db_backed=True
            )
            if status == 302 and "sessionid" in browser.cookies:
                return True
        stop.wait(0.2)
    return False


def editor(browser, username, data, recorder, stop, pause=0.3):
    """A volunteer: new vendors and edits of published ones, both waiting for review. An
    edit is acknowledged by the redirect to its change request (/changes/<id>/)."""
    rng = random.Random()
    number = 0
    if not sign_in(browser, username, data["password"], stop):
        return
    while not stop.is_set():
        number += 1
        summary = f"fault {RUN_ID} {username} {number}"
        creating = rng.random() < 0.5
        path = "/vendors/new/" if creating else f"/vendors/{rng.choice(data['vendors'])}/edit/"
        status, _, html = browser.request("GET", path, label="edit form", db_backed=True)
        if status == 302:  # the session was lost: sign in again
            sign_in(browser, username, data["password"], stop)
            continue
        fields = form_fields(html, "edit_summary") if status == 200 else {}
        if "csrfmiddlewaretoken" not in fields:
            stop.wait(pause)
            continue
        write = {"user": username, "summary": summary, "action": "create" if creating else "edit"}
        if creating:
            name = f"Fault Vendor {RUN_ID} {username} {number}"
            fields.update(
                name=name,
                description="Made by bench/fault.",
                new_source_url=f"https://fault.example.org/{RUN_ID}/{username}/{number}",
                new_source_title="A document cited by the load-and-fault script",
                new_source_kind="records-release",
                new_source_date="2024",
            )
            write["name"] = name
        else:
            description = f"{fields.get('description', '')} [{summary}]".strip()
            fields["description"] = description
            write["description"] = description
        fields["edit_summary"] = summary
        status, response, _ = browser.request(
            "POST", path, label="save", form=fields, db_backed=True
        )
        location = response.getheader("Location", "") if response is not None else ""
        changed = re.search(r"/changes/(\d+)/", location)
        if status == 302 and changed:
            recorder.ack(change=int(changed[1]), at=time.monotonic(), **write)
        elif status == 302 and "/accounts/login/" in location:
            sign_in(browser, username, data["password"], stop)
        stop.wait(pause)


# ---------------------------------------------------------------- PostgreSQL and gunicorn


class Watch:
    """Connects to PostgreSQL every 20 ms: when it stopped and started accepting."""

    def __init__(self, url):
        self.url, self.events, self.stop = url, [], threading.Event()

    def run(self):
        up = None
        while not self.stop.is_set():
            try:
                with psycopg.connect(self.url, connect_timeout=2) as connection:
                    connection.execute("SELECT 1")
                now_up = True
            except psycopg.Error:
                now_up = False
            if now_up != up:
                self.events.append((time.monotonic(), now_up))
                up = now_up
            self.stop.wait(0.02)


def restart_postgres(args, times):
    if args.checkpoint:
        # A checkpoint in progress (or many dirty buffers) is finished by the shutdown itself,
        # which then takes tens of seconds on a slow disk: done first, the restart measures
        # the app's outage rather than the disk.
        started = time.monotonic()
        psql(args, "CHECKPOINT")
        times["checkpoint"] = time.monotonic() - started
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", *args.cluster.split("/"), "restart"]
    times["restart_start"] = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    times["restart_end"] = time.monotonic()
    times["restart_result"] = result.returncode, (result.stderr or result.stdout).strip()


def kill_worker(master, times):
    workers = sorted(children(master.pid))
    if not workers:
        times["kill_result"] = "no worker found"
        return
    victim = random.choice(workers)
    times["kill"] = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = set(children(master.pid))
        if victim not in now and len(now) >= len(workers):
            times["respawned"] = time.monotonic()
            break
        time.sleep(0.02)
    times["kill_result"] = f"SIGKILL to worker {victim} of {len(workers)}"


def production_env(args):
    return main_production_env(args, page_cache=True, port=args.port, LOG_LEVEL="WARNING")


def psql(args, sql):
    run_psql(args, sql, database="postgres")


def manage(args, env, *command, capture=False):
    full = [PYTHON, ROOT / "manage.py", *command]
    if capture:
        log("$ manage.py " + " ".join(command[:2]))
        return subprocess.run(full, env=env, check=True, capture_output=True, text=True).stdout
    return run(full, env=env)


DATA_FILE = OUT / "fault-data.json"


def build(args):
    if args.reuse_data:
        return json.loads(DATA_FILE.read_text())
    if not args.database.startswith("st_fault"):
        raise SystemExit("--database must start with st_fault (the script drops and recreates it)")
    psql(args, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    psql(args, f'CREATE DATABASE "{args.database}"')
    local = django_env(args, "config.settings.local")
    manage(args, local, "migrate", "-v", "0")
    manage(args, local, "seed_demo")
    manage(args, production_env(args), "collectstatic", "--noinput", "-v", "0")
    env = {**local, "FAULT_PASSWORD": PASSWORD, "FAULT_EDITORS": str(args.editors)}
    output = manage(args, env, "shell", "-c", SETUP, capture=True)
    data = {**json.loads(output.strip().splitlines()[-1]), "password": PASSWORD}
    DATA_FILE.write_text(json.dumps(data))
    return json.loads(DATA_FILE.read_text())


def verify(args, acks):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(acks, handle)
    try:
        env = {
            **django_env(args, "config.settings.local"),
            "FAULT_ACKS": handle.name,
            "FAULT_PREFIX": f"fault {RUN_ID} ",
        }
        output = manage(args, env, "shell", "-c", VERIFY, capture=True)
    finally:
        os.unlink(handle.name)
    return json.loads(output.strip().splitlines()[-1])


# ---------------------------------------------------------------- the report


def phase_of(moment, times):
    """The phase a request was answered in (by when its answer, or its failure, came)."""
    if "restart_start" in times and moment < times["restart_start"]:
        return "before"
    if "up" in times and moment < times["up"]:
        return "outage"
    if "kill" in times and moment >= times["kill"]:
        return "after kill"
    return "after" if "restart_start" in times else "before"


def failed(sample):
    return sample.status is None or sample.status >= 500


def outcome(sample):
    return str(sample.status) if sample.status is not None else f"no answer ({sample.error})"


def recovery(samples, times):
    """Seconds from PostgreSQL accepting connections again to the first database-backed
    success, and to the last failed answer (not counting the requests the worker kill cut
    short), by when the answers came."""
    up = times.get("up")
    if up is None:
        return None, None
    first_ok = min(
        (s.end for s in samples if s.db_backed and not failed(s) and s.end >= up), default=None
    )
    last_error = max(
        (s.end for s in samples if failed(s) and s.end < times.get("kill", float("inf"))),
        default=None,
    )
    return (
        None if first_ok is None else first_ok - up,
        0.0 if last_error is None or last_error < up else last_error - up,
    )


def report(args, recorder, times, checked, elapsed):
    samples = [s for s in recorder.samples if s.who != "setup"]
    lines = [
        f"Load and faults: {len(samples):,} requests in {elapsed:.0f} s "
        f"({len(samples) / elapsed:.0f}/s); run {RUN_ID}"
    ]
    by_who = Counter(s.who for s in samples)
    lines.append("  clients: " + ", ".join(f"{who} {count:,}" for who, count in by_who.items()))
    code, message = times.get("restart_result", (None, "not run"))
    if "restart_start" in times:
        lines.append(
            f"  PostgreSQL restart ({args.cluster}"
            + (
                f", after a CHECKPOINT of {times['checkpoint']:.1f} s"
                if "checkpoint" in times
                else ""
            )
            + "): command took "
            f"{times['restart_end'] - times['restart_start']:.2f} s (exit {code}); "
            f"refused connections for {times.get('down_for', 0):.2f} s; "
            f"accepting again {times.get('up', times['restart_end']) - times['restart_start']:.2f}"
            f" s after the command started"
        )
    else:
        lines.append(f"  PostgreSQL restart: not done ({message})")
    if "kill" in times:
        respawn = times.get("respawned")
        lines.append(
            f"  worker kill: {times['kill_result']}; replaced after "
            + (f"{respawn - times['kill']:.2f} s" if respawn else "more than 30 s")
        )
    lines.append("")
    lines.append(f"  {'answered':<11} {'requests':>9} {'errors':>7}  answers")
    for phase in PHASES:
        inside = [s for s in samples if phase_of(s.end, times) == phase]
        if not inside:
            continue
        counts = Counter(outcome(s) for s in inside)
        answers = ", ".join(f"{key}: {value:,}" for key, value in sorted(counts.items()))
        errors = sum(1 for s in inside if failed(s))
        lines.append(f"  {phase:<11} {len(inside):>9,} {errors:>7,}  {answers}")
    unexpected = Counter(
        (s.label, outcome(s))
        for s in samples
        if s.status not in {200, 302} and s.label != "healthz"
    )
    if unexpected:
        lines.append("")
        lines.append("  answers other than 200 and 302, by page (healthz left out):")
        for (label, answer), count in sorted(unexpected.items()):
            lines.append(f"    {label:<14} {answer:<30} {count:>6,}")
    outage = [s for s in samples if phase_of(s.end, times) == "outage"]
    all_503 = [s for s in samples if s.status == 503 and s.label != "healthz"]
    plain = sum(1 for s in all_503 if s.plain_503)
    lines.append("")
    lines.append(
        f"  503 pages (not /healthz): {len(all_503):,}, of which {plain:,} the plain "
        f"'briefly unavailable' answer with Retry-After; during the outage "
        f"{sum(1 for s in outage if s.status == 503):,}"
    )
    bad = [s for s in samples if s.server_error_page]
    lines.append(f"  500 pages or tracebacks served: {len(bad):,}")
    first_ok, last_error = recovery(samples, times)
    if first_ok is not None:
        lines.append(
            f"  recovery after PostgreSQL accepted connections again: first database-backed "
            f"success after {first_ok:.2f} s; last error after {last_error:.2f} s "
            f"(target: within 2 s)"
        )
    lines.append(
        f"  acknowledged edits: {checked['checked']:,} "
        f"({sum(1 for a in recorder.acks if a['action'] == 'create'):,} new vendors, "
        f"{sum(1 for a in recorder.acks if a['action'] == 'edit'):,} edits waiting for "
        f"review); lost or wrong: {len(checked['problems'])}; stored but not acknowledged "
        f"(the answer was lost): {checked['unacknowledged']}"
    )
    for problem in checked["problems"][:20]:
        lines.append(f"    LOST: {problem}")
    return "\n".join(lines), bool(bad) or bool(checked["problems"])


# ---------------------------------------------------------------- main


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bench/fault", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--readers", type=int, default=6, help="public clients (default 6)")
    parser.add_argument("--editors", type=int, default=3, help="volunteers editing (default 3)")
    parser.add_argument(
        "--database", default="st_fault_run", help="dropped and recreated (st_fault...)"
    )
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument(
        "--cluster", default="15/main", help="version/name for pg_ctlcluster (default 15/main)"
    )
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="skip building: the database and accounts of the last run",
    )
    parser.add_argument(
        "--no-checkpoint",
        dest="checkpoint",
        action="store_false",
        help="restart without a CHECKPOINT first (the shutdown then writes the dirty buffers)",
    )
    parser.add_argument("--no-restart", action="store_true", help="do not restart PostgreSQL")
    parser.add_argument("--redis-db", type=int, default=12)
    parser.add_argument("--port", type=int, default=8111)
    args = parser.parse_args(argv)
    if args.duration < 10 or args.duration > 600:
        parser.error("--duration must be 10 to 600 seconds")
    args.pg_url = lambda database: f"{args.pg.rstrip('/')}/{database or args.database}"
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    data = build(args)
    servers = Servers()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    recorder, stop, times = Recorder(), threading.Event(), {}
    watch = Watch(args.pg_url("postgres"))
    can_restart = not args.no_restart and os.geteuid() == 0
    if not can_restart:
        times["restart_result"] = (None, "--no-restart" if args.no_restart else "not root")
    try:
        master = start_gunicorn(servers, "fault-gunicorn", production_env(args), args.port)
        threads = [threading.Thread(target=watch.run, daemon=True)]
        for _ in range(args.readers):
            browser = Browser(args.port, recorder, "reader")
            threads.append(threading.Thread(target=reader, args=(browser, data, stop)))
        threads.append(
            threading.Thread(target=probe, args=(Browser(args.port, recorder, "probe"), stop))
        )
        for username in data["volunteers"]:
            browser = Browser(args.port, recorder, "editor")
            threads.append(
                threading.Thread(target=editor, args=(browser, username, data, recorder, stop))
            )
        log(f"load for {args.duration} s: {args.readers} readers, {args.editors} editors")
        started = time.monotonic()
        for thread in threads:
            thread.start()
        if can_restart:
            stop.wait(args.duration * 0.3)
            log(f"restarting PostgreSQL {args.cluster}")
            restart_postgres(args, times)
        stop.wait(max(0.0, started + args.duration * 0.7 - time.monotonic()))
        log("killing a gunicorn worker")
        kill_worker(master, times)
        stop.wait(max(0.0, started + args.duration - time.monotonic()))
        stop.set()
        for thread in threads[1:]:
            thread.join(timeout=60)
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        watch.stop.set()
        servers.stop_all()
    outage_window(times, watch.events)
    checked = verify(args, recorder.acks)
    text, failed_run = report(args, recorder, times, checked, elapsed)
    print("\n" + text, flush=True)
    return 1 if failed_run else 0


def outage_window(times, events):
    """When PostgreSQL refused connections and when it accepted them again, from Watch."""
    if "restart_start" not in times:
        return
    down = next((t for t, up in events if not up and t >= times["restart_start"] - 0.1), None)
    up = next((t for t, ok in events if ok and down is not None and t > down), None)
    times["up"] = up if up is not None else times["restart_end"]
    times["down_for"] = (times["up"] - down) if down is not None else 0.0


if __name__ == "__main__":
    sys.exit(main())
