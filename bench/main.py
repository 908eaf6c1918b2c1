"""bench/run: this project against Datasette over the same rows (issue 10, "The benchmark").

Builds a generated data set in a fresh PostgreSQL database, copies the published deployments
to SQLite (the data package's deployments.csv, with indexes and full-text search), serves
this project with gunicorn under the production settings and the copy with Datasette on
loopback ports, drives both with wrk at the same concurrency on the same scenarios, times the
full CSV export against PostgreSQL's COPY, prints the tables and rewrites the "Benchmark"
section of docs/performance.md. Every server it starts is stopped when it exits.

Only the standard library: it runs with the project's interpreter and calls the tools
(manage.py, gunicorn, datasette, sqlite-utils, wrk, psql) as programs.
"""

import argparse
import os
import platform
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from bench import report

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
PYTHON = ROOT / ".venv" / "bin" / "python"
BENCH_VENV = BENCH / ".venv"
HEADERS = {"X-Forwarded-Proto": "https"}  # what the reverse proxy adds (README "Deploying")
CONTENT = (
    "region + technology list",
    "detail page",
    "full-text search",
    "CSV export, filtered",
    "JSON API page",
)


def log(message):
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def run(command, *, env=None, **kwargs):
    log("$ " + " ".join(str(part) for part in command))
    return subprocess.run(command, env=env, check=True, **kwargs)


class Servers:
    """Starts servers and stops every one of them (their process groups) on exit."""

    def __init__(self):
        self.processes = []

    def start(self, name, command, *, env=None):
        logfile = open(OUT / "logs" / f"{name}.log", "ab")  # noqa: SIM115 (closed in stop())
        process = subprocess.Popen(
            command, env=env, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append((process, logfile))
        return process

    def stop(self, process):
        for entry in list(self.processes):
            if entry[0] is process:
                self._kill(*entry)
                self.processes.remove(entry)

    def stop_all(self):
        for entry in self.processes:
            self._kill(*entry)
        self.processes = []

    @staticmethod
    def _kill(process, logfile):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        logfile.close()


def fetch(url, *, timeout=120):
    request = urllib.request.Request(url, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback)
        return response.status, response.read()


def wait_until_up(url, process, *, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server for {url} exited; see {OUT / 'logs'}")
        try:
            fetch(url, timeout=5)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def psql(args, sql, *, database=None):
    return subprocess.run(
        ["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", args.pg_url(database), "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def ensure_tools():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    if not shutil.which("psql"):
        raise SystemExit("psql is missing: apt-get install -y postgresql-client")
    if not (BENCH_VENV / "bin" / "datasette").exists():
        log("installing bench/requirements.txt into bench/.venv")
        run([sys.executable, "-m", "venv", BENCH_VENV])
        run([BENCH_VENV / "bin" / "pip", "install", "-q", "-r", BENCH / "requirements.txt"])


def django_env(args, settings, **extra):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=args.pg_url(args.database),
        STATIC_ROOT=str(OUT / "static"),
        # Every process shares the page cache's generation (generate_data and the data
        # package renew it), so a rerun never serves pages cached from an earlier data set.
        REDIS_URL=f"redis://127.0.0.1:6379/{args.redis_db}",
        **extra,
    )
    return env


def production_env(args, *, page_cache, port, **extra):
    """The production settings on loopback, the per-client limits lifted; `extra`: more
    variables (bench/fault's LOG_LEVEL)."""
    return django_env(
        args,
        "config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEBUG="false",
        PAGE_CACHE="true" if page_cache else "false",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        # The per-address limits of the API (120 a minute), searches and exports would answer
        # the load tool with 429s: the benchmark measures serving, not the limiter's refusals.
        API_ANON_RATE="100000000/min",
        SEARCH_RATE="100000000/m",
        EXPORT_RATE="100000000/m",
        **extra,
    )


def build_data(args):
    """Fresh database, migrations, the generated data set, static files, the data package."""
    if not args.database.startswith("st_bench"):
        raise SystemExit("--database must start with st_bench (the script drops and recreates it)")
    psql(args, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)', database="postgres")
    psql(args, f'CREATE DATABASE "{args.database}"', database="postgres")
    local = django_env(args, "config.settings.local")
    manage = [PYTHON, ROOT / "manage.py"]
    run([*manage, "migrate", "-v", "0"], env=local)
    run(
        [
            *manage,
            "generate_data",
            "--deployments",
            str(args.deployments),
            "--seed",
            str(args.seed),
        ],
        env=local,
    )
    # What autovacuum does after a bulk load (the server the benchmark ran on has it off):
    # the planner's statistics, and the visibility map that index-only scans read.
    psql(args, "VACUUM ANALYZE")
    production = production_env(args, page_cache=False, port=args.app_port)
    run([*manage, "collectstatic", "--noinput", "-v", "0"], env=production)
    shutil.rmtree(OUT / "package", ignore_errors=True)
    run([*manage, "build_data_package", "--directory", OUT / "package"], env=local)


def build_sqlite():
    """The published deployments, as the data package has them, in SQLite: the copy a data
    team would serve with Datasette, with the indexes a fair user would add on the filtered
    and sorted columns and an FTS5 table over the searched text."""
    archive = next((OUT / "package").glob("*.zip"))
    with zipfile.ZipFile(archive) as package:
        package.extract("deployments.csv", OUT)
    database = OUT / "bench.db"
    database.unlink(missing_ok=True)
    utils = BENCH_VENV / "bin" / "sqlite-utils"
    csv_file = OUT / "deployments.csv"
    run([utils, "insert", database, "deployments", csv_file, "--csv", "--pk", "id"])
    for columns in (
        ["region", "technology"],
        ["technology"],
        ["agency_slug"],
        ["vendor_slug"],
        ["status"],
        ["start_date"],
    ):
        run([utils, "create-index", database, "deployments", *columns])
    run(
        [
            utils,
            "enable-fts",
            database,
            "deployments",
            "agency",
            "locality",
            "technology",
            "vendor",
            "product",
            "summary",
        ]
    )
    run([utils, "analyze", database])
    return database, csv_file


def choose_inputs(database, args):
    """The same selection for both sides, read from the rows both serve (the SQLite copy, so
    a million rows are not held in memory): the most common region + technology pair, a word
    of the place of that pair's first deployment for search, and detail ids spread over the
    table."""
    with closing(sqlite3.connect(database)) as db:
        (rows,) = db.execute("SELECT count(*) FROM deployments").fetchone()
        region, technology = db.execute(
            "SELECT region, technology FROM deployments GROUP BY region, technology "
            "ORDER BY count(*) DESC, region, technology LIMIT 1"
        ).fetchone()
        (locality,) = db.execute(
            "SELECT locality FROM deployments WHERE region = ? AND technology = ? "
            "ORDER BY id LIMIT 1",
            (region, technology),
        ).fetchone()
        step = max(1, rows // 200)
        ids = [str(pk) for (pk,) in db.execute("SELECT id FROM deployments ORDER BY id")]
    ids = ids[::step][:200]
    word = locality.split()[0]
    quoted = technology.replace("'", "''")
    slug = psql(args, f"SELECT slug FROM technologies_technology WHERE name = '{quoted}'")
    return {
        "rows": rows,
        "region": region,
        "technology": technology,
        "slug": slug,
        "word": word,
        "ids": ids,
    }


def scenarios(inputs, static_path):
    """(name, this project's paths, Datasette's paths)."""
    ours_filter = urllib.parse.urlencode({"region": inputs["region"], "technology": inputs["slug"]})
    theirs_filter = urllib.parse.urlencode(
        {"region": inputs["region"], "technology": inputs["technology"]}
    )
    word = urllib.parse.quote(inputs["word"])
    return [
        (CONTENT[0], [f"/deployments/?{ours_filter}"], [f"/bench/deployments?{theirs_filter}"]),
        (
            CONTENT[1],
            [f"/deployments/{i}/" for i in inputs["ids"]],
            [f"/bench/deployments/{i}" for i in inputs["ids"]],
        ),
        (CONTENT[2], [f"/deployments/?q={word}"], [f"/bench/deployments?_search={word}"]),
        (
            CONTENT[3],
            [f"/deployments/export.csv?{ours_filter}"],
            [f"/bench/deployments.csv?{theirs_filter}&_stream=on&_size=max"],
        ),
        (
            CONTENT[4],
            [f"/api/v1/deployments/?{ours_filter}"],
            [f"/bench/deployments.json?{theirs_filter}&_size=50"],
        ),
        ("static file (ceiling)", [static_path], ["/-/static/app.css"]),
    ]


def load(args, port, name, paths, side):
    """One wrk run; the paths are checked first (a 301 or a 400 would be measured as fast)."""
    base = f"http://127.0.0.1:{port}"
    for path in paths[:3]:
        status, _ = fetch(base + path)
        if status != 200:
            raise SystemExit(f"{side}: {path} answered {status}")
    # Each path once before measuring, on each side alike: connections, SQLite's and
    # PostgreSQL's buffers and, with the page cache on, the stored pages.
    for path in paths:
        fetch(base + path)
    paths_file = OUT / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "60s"]
    for header, value in HEADERS.items():
        command += ["-H", f"{header}: {value}"]
    command += ["-s", str(BENCH / "wrk.lua"), base, "--", str(paths_file)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result = report.parse_wrk(output)
    log(
        f"{side:28} {name:26} {result.rps:8.1f}/s p50 {result.p50_ms:.1f} "
        f"p95 {result.p95_ms:.1f} p99 {result.p99_ms:.1f} ms errors {result.errors}"
    )
    return result


def start_project(args, servers, *, page_cache):
    env = production_env(args, page_cache=page_cache, port=args.app_port)
    return start_gunicorn(
        servers, f"gunicorn-cache-{'on' if page_cache else 'off'}", env, args.app_port
    )


def start_gunicorn(servers, name, env, port):
    """gunicorn as configured for production, with `env`; returns once it answers. The page
    cache starts cold: pages stored by an earlier run (--reuse-data) are of other data."""
    run(
        [
            PYTHON,
            ROOT / "manage.py",
            "shell",
            "-c",
            "from apps.core import page_cache; page_cache.bump()",
        ],
        env=env,
    )
    process = servers.start(
        name,
        [
            ROOT / ".venv" / "bin" / "gunicorn",
            "-c",
            ROOT / "config" / "gunicorn.conf.py",
            "config.wsgi",
        ],
        env=env,
    )
    wait_until_up(f"http://127.0.0.1:{port}/robots.txt", process)
    return process


def static_path(args):
    """A hashed static file as the pages link it (WhiteNoise serves it)."""
    import json

    manifest = json.loads((OUT / "static" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def timed_read(stream, label, rows, *, watch=None):
    """Reads a stream to its end: an ExportResult (with the time to the end of the first
    row, the header's next line). `watch` (a pid) samples the peak resident
    memory of that process's children (the gunicorn workers) meanwhile."""
    peak = [0.0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            for child in children(watch):
                peak[0] = max(peak[0], rss_mb(child))
            time.sleep(0.1)

    if watch:
        threading.Thread(target=sample, daemon=True).start()
    start = time.monotonic()
    first = None
    size = lines = 0
    while chunk := stream.read(1 << 16):
        # The first row, not the first byte: a server may send the header line before
        # reading any row.
        if first is None:
            lines += chunk.count(b"\n")
            if lines >= 2:
                first = time.monotonic() - start
        size += len(chunk)
    total = time.monotonic() - start
    done.set()
    return report.ExportResult(label, rows, size, first or total, total, peak[0] if watch else None)


def export_runs(args, gunicorn, inputs):
    results = []
    copy = subprocess.Popen(
        ["psql", "-X", "-q", args.pg_url(args.database), "-f", str(BENCH / "copy.sql")],
        stdout=subprocess.PIPE,
    )
    copy_result = timed_read(copy.stdout, "PostgreSQL COPY (same columns)", inputs["rows"])
    copy.wait()
    results.append(copy_result)
    log(f"COPY: {copy_result.total_s:.2f} s")
    for label, url, watch in (
        (
            "this project /deployments/export.csv",
            f"http://127.0.0.1:{args.app_port}/deployments/export.csv",
            gunicorn.pid,
        ),
        (
            "Datasette .csv?_stream=on",
            f"http://127.0.0.1:{args.datasette_port}/bench/deployments.csv?_stream=on&_size=max",
            None,
        ),
    ):
        request = urllib.request.Request(url, headers=HEADERS)
        with urllib.request.urlopen(request, timeout=3600) as response:  # noqa: S310 (loopback)
            result = timed_read(response, label, inputs["rows"], watch=watch)
        results.append(result)
        log(f"{label}: first row {result.first_row_s:.2f} s, total {result.total_s:.2f} s")
    return results, copy_result


def machine(args):
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    settings = psql(
        args,
        "SELECT string_agg(name || ' = ' || current_setting(name), ', ' ORDER BY name) "
        "FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', "
        "'maintenance_work_mem', 'random_page_cost', 'max_parallel_workers_per_gather', "
        "'max_connections', 'jit', 'autovacuum')",
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": int(memory) / 1024 / 1024,
        "postgres": psql(args, "SHOW server_version"),
        "pg_settings": settings,
        "python": platform.python_version(),
        "loop_s": python_loop_seconds(),
        "datasette": subprocess.run(
            [BENCH_VENV / "bin" / "datasette", "--version"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip(),
        "wrk": "wrk "
        + (
            subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
            or ["?", "?"]
        )[1],
    }


def python_loop_seconds(steps=10_000_000):
    """Seconds one core takes for a plain Python loop: how fast the machine was at the time,
    which a virtual machine's runs differ in."""
    started = time.perf_counter()
    total = 0
    for step in range(steps):
        total += step
    return time.perf_counter() - started


def section(args, inputs, loads, exports, copy, info, command):
    load_rows = [
        (name, loads["off"].get(name), loads["on"].get(name), loads["datasette"].get(name))
        for name in loads["names"]
    ]
    workers = os.environ.get("GUNICORN_WORKERS", str((os.cpu_count() or 1) * 2 + 1))
    threads = os.environ.get("GUNICORN_THREADS", "4")
    return f"""## Benchmark

Generated by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, at **{inputs["rows"]:,}
deployments** (`--deployments {args.deployments}`, seed {args.seed}). These numbers are from
that scale only; the targets of issue 10 are for 1,000,000 (`bench/run --deployments 1000000`).
On this virtual machine the same data set's runs have differed by up to three times (COPY of
every deployment took 20 s in one run and 61 s in another, and Datasette's figures moved
alike), so compare the two sides of one run rather than runs with each other. One core's
speed as this run ended: a 10-million-step Python loop took {info["loop_s"]:.2f} s.

- **Machine:** {info["cpus"]} CPUs ({info["cpu"]}), {info["memory_gb"]:.0f} GB of memory; Python
  {info["python"]}; {info["wrk"]}; {info["datasette"]}.
- **PostgreSQL {info["postgres"]}**, as the server is configured (the benchmark assumes these
  and does not change them): {info["pg_settings"]}.
- **This project:** gunicorn with `config/gunicorn.conf.py` ({workers} workers × {threads}
  threads), `config.settings.production`, `DEBUG` false, Redis for the cache
  (`REDIS_URL`), requests sent with `X-Forwarded-Proto: https` as the reverse proxy would,
  `API_ANON_RATE` raised so the load tool is not refused; run once with `PAGE_CACHE=false`
  and once with the page cache on (the default).
- **Datasette:** the published deployments from the data package's `deployments.csv`
  (`build_data_package`: the same rows and columns as `/deployments/export.csv`) loaded into
  SQLite with sqlite-utils, indexes on `region, technology`, `technology`, `agency_slug`,
  `vendor_slug`, `status`, `start_date`, an FTS5 table over agency, locality, technology,
  vendor, product and summary, `ANALYZE`; served with `datasette serve -i` (immutable) and
  `max_csv_mb 0` (so its CSV is not cut at 100 MB), otherwise its defaults (one process;
  its table pages count the matching rows and suggest facets, as a user sees them).
- **Load:** wrk, {args.connections} connections, one thread, {args.duration} s per scenario
  after one request to each of its paths (so the page cache, when on, starts warm), on
  loopback; each connection cycles through the scenario's paths. Selection:
  `region={inputs["region"]}` and technology {inputs["technology"]}
  (`technology={inputs["slug"]}` here, the name in Datasette), the most common pair; search
  for `{inputs["word"]}`; {len(inputs["ids"])} detail pages spread over the table; the JSON page
  is the same filtered selection, 50 rows (`/api/v1/deployments/` and `.json?_size=50`);
  the filtered CSV is every matching row (`_stream=on` for Datasette). Ratios: requests per
  second of this project over Datasette's, and Datasette's p95 over this project's: above 1
  means this project is ahead (goal: above 1 without the page cache, at least 10 with it).
  The filtered CSV is streamed; with the page cache on, the first (warming) request stores
  it once sent in full (at most `PAGE_CACHE_DOWNLOAD_MAX_BYTES`). A scenario served at
  about 1 request a second has only a few samples in a short run: its p99 is then its
  slowest request.

{report.load_table(load_rows)}

{report.goal_summary(load_rows)}

Full export of every published deployment (time to the first row and to the last; peak
RSS is the largest gunicorn worker while it streamed; COPY is `bench/copy.sql`, the same
columns and joins written by PostgreSQL; the target is a rate of at least 0.5× COPY's):

{report.export_table(exports, copy)}
"""


def write_doc(text):
    path = ROOT / "docs" / "performance.md"
    document = path.read_text() if path.exists() else "# Performance\n"
    path.write_text(report.replace_section(document, text))
    log(f"wrote the Benchmark section of {path.relative_to(ROOT)}")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--deployments",
        type=int,
        help="size of the data set (default 1,000,000; 20,000 with --quick)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="reduced scale and 10 s per scenario: within 10 minutes",
    )
    parser.add_argument(
        "--duration", type=int, help="seconds per scenario (default 30; 10 with --quick)"
    )
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database",
        default="st_bench_data",
        help="dropped and recreated (must start with st_bench)",
    )
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--app-port", type=int, default=8101)
    parser.add_argument("--datasette-port", type=int, default=8102)
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="skip building: use the database, the data package and the SQLite copy in "
        "bench/out from the last run",
    )
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/performance.md")
    args = parser.parse_args(argv)
    args.deployments = args.deployments or (20_000 if args.quick else 1_000_000)
    args.duration = args.duration or (10 if args.quick else 30)
    args.pg_url = lambda database: f"{args.pg.rstrip('/')}/{database or args.database}"
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    command = "bench/run " + " ".join(argv)
    ensure_tools()
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    database = OUT / "bench.db"
    if not args.reuse_data:
        build_data(args)
    if not (args.reuse_data and database.exists()):
        # From the data package, which build_data has just written (or the last run did).
        database, _ = build_sqlite()
    inputs = choose_inputs(database, args)
    plan = scenarios(inputs, static_path(args))
    servers = Servers()
    # SIGTERM (a stopped CI job, kill) unwinds through the finally below like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    loads = {"names": [name for name, _, _ in plan], "off": {}, "on": {}, "datasette": {}}
    try:
        datasette = servers.start(
            "datasette",
            [
                BENCH_VENV / "bin" / "datasette",
                "serve",
                "-i",
                OUT / "bench.db",
                "-h",
                "127.0.0.1",
                "-p",
                str(args.datasette_port),
                "--setting",
                "max_csv_mb",
                "0",
            ],
        )
        wait_until_up(f"http://127.0.0.1:{args.datasette_port}/-/versions.json", datasette)
        for name, _, theirs in plan:
            loads["datasette"][name] = load(args, args.datasette_port, name, theirs, "Datasette")
        for key, page_cache in (("off", False), ("on", True)):
            gunicorn = start_project(args, servers, page_cache=page_cache)
            for name, ours, _ in plan:
                loads[key][name] = load(
                    args, args.app_port, name, ours, f"project, page cache {key}"
                )
            servers.stop(gunicorn)
        gunicorn = start_project(args, servers, page_cache=False)
        exports, copy = export_runs(args, gunicorn, inputs)
        info = machine(args)
    finally:
        servers.stop_all()
    text = section(args, inputs, loads, exports, copy, info, command)
    print("\n" + text)
    if not args.no_doc:
        write_doc(text)
    log(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
