"""Bar charts drawn on the server: the geometry of a horizontal bar chart from its rows, for
the template component `core/components/bar_chart.html`, which draws it as an SVG image with a
title and a description and repeats the numbers as a table. No JavaScript and no inline
styles: the page's stylesheet colours the bars (a later Content-Security-Policy forbids
inline styles).

This module knows nothing of records: the domain's chart data (apps/charts) gives it labelled
numbers, each with the address of the list that shows the records behind it."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

# The drawing's coordinate system (viewBox): the stylesheet scales it to the column's width.
WIDTH = 640
LABEL_WIDTH = 200  # the labels' column, left of the bars
VALUE_ROOM = 110  # right of the longest bar, for its number
GAP = 8  # between a label, its bar and its number
ROW_HEIGHT = 26
BAR_HEIGHT = 18
MAX_LABEL_CHARS = 28  # longer labels are shortened in the drawing; the table has them whole
SUMMARY_ROWS = 10  # rows read out in the description; the table has them all


def format_number(value):
    """1234 → "1,234"; an amount in whole units (1234.50 → "1,235"): the drawing rounds, the
    table gives the exact amount (format_exact)."""
    if isinstance(value, Decimal):
        # Half up, as people round money (Decimal's own default rounds 2.5 to 2).
        return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return f"{value:,}"


def format_exact(value):
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}"
    return f"{value:,}"


def shorten(text, limit=MAX_LABEL_CHARS):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class ChartRow:
    """One bar: what it counts, how many (or how much), and the list that shows them.

    `count` is for charts of amounts: how many records the amount adds up."""

    label: str
    value: int | Decimal
    url: str = ""
    count: int | None = None


@dataclass(frozen=True)
class DrawnBar:
    row: ChartRow
    label: str
    value_text: str
    exact_value: str
    bar_y: str
    bar_width: str
    text_y: str
    value_x: str
    tooltip: str


@dataclass
class BarChart:
    """A horizontal bar chart. `key` makes its element ids unique on the page; `title` names
    it; `description` says what it counts (the numbers are added for screen readers);
    `label_heading` and `value_heading` head the table's columns (`count_heading` too when
    rows have a count); `notes` are said under it ("Amounts in USD only …")."""

    key: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    rows: list = field(default_factory=list)
    count_heading: str = ""
    notes: list = field(default_factory=list)
    others: list = field(default_factory=list)
    """Rows not drawn because they cannot be added to the drawn ones (amounts in another
    currency): listed under the chart with their links."""
    omitted: int = 0
    """Rows left out of the drawing and the table (the smallest), said under the chart."""

    @property
    def width(self):
        return WIDTH

    @property
    def height(self):
        return max(len(self.rows), 1) * ROW_HEIGHT

    @property
    def label_x(self):
        return LABEL_WIDTH - GAP

    @property
    def bar_height(self):
        return BAR_HEIGHT

    @property
    def bar_x(self):
        return LABEL_WIDTH

    @property
    def bars(self):
        largest = max((row.value for row in self.rows), default=0)
        room = WIDTH - LABEL_WIDTH - VALUE_ROOM
        drawn = []
        for index, row in enumerate(self.rows):
            width = float(row.value) / float(largest) * room if largest else 0.0
            if row.value and width < 1:
                width = 1.0  # a small number still shows as a sliver, not as nothing
            top = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
            drawn.append(
                DrawnBar(
                    row=row,
                    label=shorten(row.label),
                    value_text=format_number(row.value),
                    exact_value=format_exact(row.value),
                    bar_y=f"{top:.1f}",
                    bar_width=f"{width:.1f}",
                    text_y=f"{top + BAR_HEIGHT / 2:.1f}",
                    value_x=f"{LABEL_WIDTH + width + GAP:.1f}",
                    tooltip=self.tooltip(row),
                )
            )
        return drawn

    def tooltip(self, row):
        """What pointing at a bar says, number first ("3 deployments: Oregon"; "2 contracts:
        2017, total value (USD) 3,500.50"): the label may be a number itself (a year)."""
        if self.has_counts:
            return (
                f"{row.count} {self.count_heading.lower()}: {row.label}, "
                f"{self.value_heading} {format_exact(row.value)}"
            )
        return f"{format_exact(row.value)} {self.value_heading.lower()}: {row.label}"

    @property
    def has_counts(self):
        return bool(self.count_heading)

    @property
    def summary(self):
        """The SVG's description: what it shows and its numbers, for those who cannot see it."""
        if not self.rows:
            none = gettext("None recorded.")
            return f"{self.description} {none}"
        read = [f"{row.label}: {format_exact(row.value)}" for row in self.rows[:SUMMARY_ROWS]]
        more = len(self.rows) - SUMMARY_ROWS
        tail = gettext("; %(count)s more in the table below") % {"count": more} if more > 0 else ""
        return f"{self.description} {'; '.join(read)}{tail}."

    @property
    def ids(self):
        return {"title": f"chart-{self.key}-title", "desc": f"chart-{self.key}-desc"}
