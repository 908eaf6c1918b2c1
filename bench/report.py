"""The benchmark's pure parts: reading wrk's output, comparing the two sides, writing the
table and the "Benchmark" section of docs/performance.md. No I/O but strings, so it is tested
(tests/bench/test_report.py) without running a server."""

import json
from dataclasses import dataclass

# wrk.lua's done() prints one line starting with this, then a JSON object.
WRK_MARKER = "BENCH_JSON "
START = "<!-- bench:start (written by bench/run: edit the script, not this section) -->"
END = "<!-- bench:end -->"


@dataclass(frozen=True)
class LoadResult:
    """One wrk run: requests per second and latency percentiles in milliseconds."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0


def parse_wrk(output):
    """The LoadResult of wrk's output (with bench/wrk.lua); ValueError when wrk printed none
    (it failed to connect, or the script did not run)."""
    for line in output.splitlines():
        if line.startswith(WRK_MARKER):
            data = json.loads(line[len(WRK_MARKER) :])
            errors = (
                sum(
                    data[key]
                    for key in ("connect_errors", "read_errors", "write_errors", "status_errors")
                )
                + data["timeouts"]
            )
            return LoadResult(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                errors=errors,
                p50_ms=data["p50_us"] / 1000,
                p95_ms=data["p95_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
            )
    raise ValueError("wrk printed no result line (" + WRK_MARKER.strip() + ")")


def ratio(ours, theirs):
    """How many times better this project is: >1 ahead, <1 behind; None when either side has
    no number (a failed run, or a scenario one side lacks)."""
    if not ours or not theirs:
        return None
    return ours / theirs


def throughput_ratio(ours, theirs):
    """Requests per second, this project over Datasette."""
    if ours is None or theirs is None:
        return None
    return ratio(ours.rps, theirs.rps)


def latency_ratio(ours, theirs):
    """p95 latency, Datasette over this project (so >1 still means this project is ahead)."""
    if ours is None or theirs is None:
        return None
    return ratio(theirs.p95_ms, ours.p95_ms)


def _times(value):
    return "—" if value is None else f"{value:.2f}×"


def _load(result):
    if result is None:
        return "—"
    errors = f", {result.errors} errors" if result.errors else ""
    latency = f"{result.p50_ms:.1f} / {result.p95_ms:.1f} / {result.p99_ms:.1f}"
    return f"{result.rps:,.0f}/s · {latency}{errors}"


def load_table(rows):
    """Markdown table of the load scenarios. `rows` are (scenario, no cache, cache,
    datasette) with LoadResults (or None)."""
    lines = [
        "| scenario | this project, page cache off: req/s · p50 / p95 / p99 ms "
        "| this project, page cache on | Datasette | ratio off (req/s · p95) "
        "| ratio on (req/s · p95) |",
        "|---|---|---|---|---|---|",
    ]
    for name, off, on, theirs in rows:
        lines.append(
            f"| {name} | {_load(off)} | {_load(on)} | {_load(theirs)} "
            f"| {_times(throughput_ratio(off, theirs))} · {_times(latency_ratio(off, theirs))} "
            f"| {_times(throughput_ratio(on, theirs))} · {_times(latency_ratio(on, theirs))} |"
        )
    return "\n".join(lines)


def goal_summary(rows, *, ceiling="static file (ceiling)"):
    """Issue 10's goal per scenario, by requests per second: ahead of Datasette without the
    page cache (ratio above 1), at least 10 times ahead with it. The static file is the
    servers' ceiling, not a scenario of the goal."""
    missed_off, missed_on = [], []
    for name, off, on, theirs in rows:
        if name == ceiling:
            continue
        off_ratio, on_ratio = throughput_ratio(off, theirs), throughput_ratio(on, theirs)
        if off_ratio is None or off_ratio <= 1:
            missed_off.append(name)
        if on_ratio is None or on_ratio < 10:
            missed_on.append(name)
    return (
        "Goal, page cache off (ahead of Datasette): "
        + ("met in every scenario" if not missed_off else "missed in " + ", ".join(missed_off))
        + ". Goal, page cache on (at least 10× ahead): "
        + ("met in every scenario" if not missed_on else "missed in " + ", ".join(missed_on))
        + "."
    )


@dataclass(frozen=True)
class ExportResult:
    """One full export: bytes, rows, seconds to the first row and to the last, peak memory of
    the serving process in MB (None when not measured)."""

    label: str
    rows: int
    size: int
    first_row_s: float
    total_s: float
    peak_rss_mb: float | None = None

    @property
    def rows_per_s(self):
        return self.rows / self.total_s if self.total_s else 0.0


def export_table(results, copy):
    """Markdown table of the full exports, each compared with PostgreSQL's COPY (`copy`, one
    of `results`): the rate as a share of COPY's (the target is at least 0.5)."""
    lines = [
        "| export of every deployment | rows | MB | first row | total | rows/s "
        "| rate vs COPY | peak RSS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        share = ratio(result.rows_per_s, copy.rows_per_s)
        rss = "—" if result.peak_rss_mb is None else f"{result.peak_rss_mb:.0f} MB"
        lines.append(
            f"| {result.label} | {result.rows:,} | {result.size / 1e6:.1f} "
            f"| {result.first_row_s:.2f} s | {result.total_s:.2f} s | {result.rows_per_s:,.0f} "
            f"| {_times(share)} | {rss} |"
        )
    return "\n".join(lines)


def replace_section(document, section):
    """`document` with the text between START and END replaced by `section` (the markers
    kept); appended at the end when the markers are absent. Everything else (other helpers'
    sections) is left as it is."""
    block = f"{START}\n{section.strip()}\n{END}"
    start = document.find(START)
    end = document.find(END)
    if start == -1 or end == -1 or end < start:
        return document.rstrip("\n") + "\n\n" + block + "\n"
    return document[:start] + block + document[end + len(END) :]
