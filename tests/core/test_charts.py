"""The bar chart builder (apps/core/charts.py): geometry from numbers, no database."""

from decimal import Decimal

from apps.core.charts import (
    BAR_HEIGHT,
    LABEL_WIDTH,
    ROW_HEIGHT,
    VALUE_ROOM,
    WIDTH,
    BarChart,
    ChartRow,
    format_exact,
    format_number,
    shorten,
)


def chart(*values, **kwargs):
    rows = [
        ChartRow(f"Row {index}", value, f"/list/?n={index}") for index, value in enumerate(values)
    ]
    return BarChart(
        key="test",
        title="Things by kind",
        description="How many things of each kind.",
        label_heading="Kind",
        value_heading="Things",
        rows=rows,
        **kwargs,
    )


def test_the_largest_bar_fills_the_room_and_the_others_are_in_proportion():
    bars = chart(10, 5, 1, 0).bars
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    assert [float(bar.bar_width) for bar in bars] == [room, room / 2, room / 10, 0.0]
    # One row each, top to bottom, the bar centred in its row and the text on its middle.
    assert [float(bar.bar_y) for bar in bars] == [
        index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2 for index in range(4)
    ]
    assert bars[1].text_y == f"{ROW_HEIGHT + ROW_HEIGHT / 2:.1f}"
    # The number sits just right of its bar.
    assert float(bars[1].value_x) > LABEL_WIDTH + room / 2
    assert chart(10, 5, 1, 0).height == 4 * ROW_HEIGHT


def test_a_tiny_value_still_shows_and_an_empty_chart_draws_nothing():
    bars = chart(100000, 1).bars
    assert float(bars[1].bar_width) == 1.0
    empty = chart()
    assert empty.bars == [] and empty.height == ROW_HEIGHT
    assert empty.summary == "How many things of each kind. None recorded."


def test_amounts_are_rounded_in_the_drawing_and_exact_in_the_table():
    bar = chart(Decimal("1234567.50")).bars[0]
    assert bar.value_text == "1,234,568"
    assert bar.exact_value == "1,234,567.50"
    assert format_number(Decimal("2.50")) == "3" and format_number(Decimal("0.49")) == "0"
    assert format_number(12345) == "12,345" and format_exact(12345) == "12,345"


def test_long_labels_are_shortened_in_the_drawing_only():
    long = "Department of Homeland Security Science and Technology Directorate"
    rows = [ChartRow(long, 3, "/x/")]
    bar = BarChart("k", "T", "D.", "L", "V", rows=rows).bars[0]
    assert bar.label == shorten(long) and bar.label.endswith("…") and len(bar.label) <= 28
    assert bar.row.label == long


def test_the_description_reads_out_the_numbers():
    summary = chart(*range(12, 0, -1)).summary
    assert summary.startswith("How many things of each kind. Row 0: 12; Row 1: 11;")
    assert "Row 9: 3; 2 more in the table below." in summary
    assert chart(2, 1).summary == "How many things of each kind. Row 0: 2; Row 1: 1."


def test_element_ids_follow_the_key():
    assert chart(1).ids == {"title": "chart-test-title", "desc": "chart-test-desc"}
