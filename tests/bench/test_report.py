"""The benchmark's pure parts (bench/report.py): reading wrk's output, the ratios, the tables
and rewriting only the benchmark's own section of docs/performance.md. The benchmark itself is
a script (bench/run), not a test: nothing here times anything."""

import pytest

from bench import report

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8101
  1 threads and 4 connections
Requests/sec:    250.00
BENCH_JSON {"requests":2500,"duration_us":10000000,"bytes":123,"connect_errors":0,\
"read_errors":1,"write_errors":0,"status_errors":2,"timeouts":3,"p50_us":12500,\
"p95_us":40000,"p99_us":81250,"max_us":90000}
"""


def result(rps, p95):
    return report.LoadResult(
        requests=rps * 10, seconds=10.0, errors=0, p50_ms=1.0, p95_ms=p95, p99_ms=p95
    )


def test_parse_wrk_reads_the_scripts_line():
    parsed = report.parse_wrk(WRK_OUTPUT)
    assert parsed.requests == 2500
    assert parsed.rps == 250.0
    assert (parsed.p50_ms, parsed.p95_ms, parsed.p99_ms) == (12.5, 40.0, 81.25)
    assert parsed.errors == 6  # read, status (non-2xx/3xx) and timeouts all count


def test_parse_wrk_without_the_line_is_an_error():
    with pytest.raises(ValueError, match="BENCH_JSON"):
        report.parse_wrk("unable to connect to 127.0.0.1:8101 Connection refused\n")


def test_ratios_say_how_far_ahead_this_project_is():
    ours, theirs = result(300, 10.0), result(100, 50.0)
    assert report.throughput_ratio(ours, theirs) == 3.0
    assert report.latency_ratio(ours, theirs) == 5.0  # their p95 over ours: >1 is ahead
    assert report.throughput_ratio(theirs, ours) == pytest.approx(1 / 3)
    assert report.throughput_ratio(ours, None) is None
    assert report.throughput_ratio(ours, result(0, 1.0)) is None


def test_load_table_has_a_row_per_scenario_with_both_ratios():
    table = report.load_table(
        [
            ("detail page", result(300, 10.0), result(3000, 1.0), result(100, 50.0)),
            ("static file", None, result(10, 1.0), result(10, 1.0)),
        ]
    )
    lines = table.splitlines()
    assert len(lines) == 4
    assert lines[2].startswith("| detail page | 300/s · 1.0 / 10.0 / 10.0 |")
    assert lines[2].endswith("| 3.00× · 5.00× | 30.00× · 50.00× |")
    assert "| — |" in lines[3]


def test_export_table_compares_each_rate_with_copy():
    copy = report.ExportResult("COPY", 1000, 2_000_000, 0.01, 1.0)
    ours = report.ExportResult("export", 1000, 2_100_000, 0.5, 4.0, peak_rss_mb=150.4)
    table = report.export_table([copy, ours], copy)
    assert "| COPY | 1,000 | 2.0 | 0.01 s | 1.00 s | 1,000 | 1.00× | — |" in table
    assert "| export | 1,000 | 2.1 | 0.50 s | 4.00 s | 250 | 0.25× | 150 MB |" in table


def test_replace_section_rewrites_only_its_own_part():
    document = (
        "# Performance\n\n## Lists at scale\nkept\n\n"
        f"{report.START}\nold numbers\n{report.END}\n\n## After\nalso kept\n"
    )
    updated = report.replace_section(document, "## Benchmark\nnew numbers\n")
    assert "old numbers" not in updated
    assert f"{report.START}\n## Benchmark\nnew numbers\n{report.END}" in updated
    assert updated.startswith("# Performance\n\n## Lists at scale\nkept\n\n")
    assert updated.endswith("\n\n## After\nalso kept\n")
    assert report.replace_section(updated, "## Benchmark\nnew numbers") == updated


def test_replace_section_appends_when_the_markers_are_absent():
    updated = report.replace_section("# Performance\n\n## Lists at scale\n", "## Benchmark\nx")
    assert updated == (
        f"# Performance\n\n## Lists at scale\n\n{report.START}\n## Benchmark\nx\n{report.END}\n"
    )


def test_goal_summary_names_the_scenarios_that_miss_it():
    rows = [
        ("list", result(300, 10.0), result(3000, 1.0), result(100, 50.0)),
        ("search", result(50, 10.0), result(900, 1.0), result(100, 50.0)),
        ("static file (ceiling)", result(1, 1.0), result(1, 1.0), result(100, 1.0)),
    ]
    assert report.goal_summary(rows) == (
        "Goal, page cache off (ahead of Datasette): missed in search. "
        "Goal, page cache on (at least 10× ahead): missed in search."
    )
    assert report.goal_summary(rows[:1]) == (
        "Goal, page cache off (ahead of Datasette): met in every scenario. "
        "Goal, page cache on (at least 10× ahead): met in every scenario."
    )
