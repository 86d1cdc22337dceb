"""A hand-made report that uses every kind of block, for the renderer tests. The authority and
every figure are invented."""

from __future__ import annotations

from iroscope.report.model import (
    Chart,
    KeyFigure,
    KeyFigures,
    Narrative,
    Paragraph,
    Report,
    Section,
    Series,
    Table,
)

YEARS = ("2022 to 2023", "2023 to 2024", "2024 to 2025")
TEAM_ROWS = 30  # enough rows to run a table over a page break
KNOWN_FIGURE = "89.1% (873 of 980)"

TIMELINESS_TABLE = Table(
    caption="Reviews held on time",
    columns=("Measure", *YEARS),
    rows=(
        ("Reviews held on time", "84.0% (790 of 940)", "86.2% (801 of 929)", KNOWN_FIGURE),
        ("Reviews held on time: England", "90.0%", "89.0%", "–"),
        ("Children whose first review was on time", "78.5% (95 of 121)", "80.1% (105 of 131)", "83.3% (110 of 132)"),
    ),
    kpi_ids=("reviews.on_time", "reviews.first_on_time"),
    note="A review is on time when it is held on or before the date the regulations set.",
)

TIMELINESS_CHART = Chart(
    kind="line",
    title="Reviews held on time, by year",
    categories=YEARS,
    series=(
        Series("This authority", (84.0, 86.2, 89.1)),
        Series("England", (90.0, 89.0, None)),
        Series("Statistical neighbours", (87.5, 88.1, 88.4)),
    ),
    unit="%",
    alt="Reviews held on time rose from 84.0% in 2022 to 2023 to 89.1% in 2024 to 2025.",
    table=Table(
        caption="Reviews held on time, by year",
        columns=("Area", *YEARS),
        rows=(
            ("This authority", "84.0%", "86.2%", "89.1%"),
            ("England", "90.0%", "89.0%", "–"),
            ("Statistical neighbours", "87.5%", "88.1%", "88.4%"),
        ),
    ),
)

PARTICIPATION_CHART = Chart(
    kind="bar",
    title="How children took part in their reviews",
    categories=("Attended and spoke", "Sent their views", "Views conveyed by an advocate", "Did not take part"),
    series=(
        Series(YEARS[0], (412, 230, 61, 120)),
        Series(YEARS[1], (430, 241, 70, 101)),
        Series(YEARS[2], (455, 250, None, 95)),
    ),
    unit="reviews",
    alt="In 2024 to 2025, 455 reviews had the child attend and speak, 250 had their views sent, "
    "fewer than 5 had views conveyed by an advocate, and 95 had no participation.",
    table=Table(
        caption="How children took part in their reviews",
        columns=("Participation", *YEARS),
        rows=(
            ("Attended and spoke", "412", "430", "455"),
            ("Sent their views", "230", "241", "250"),
            ("Views conveyed by an advocate", "61", "70", "fewer than 5"),
            ("Did not take part", "120", "101", "95"),
        ),
        kpi_ids=("participation.breakdown",),
    ),
)

DISPUTES_CHART = Chart(
    kind="stacked",
    title="Disputes by the stage at which they were resolved",
    categories=("Informal", "Stage 1", "Stage 2", "Stage 3", "Referred to Cafcass"),
    series=(
        Series(YEARS[0], (60, 25, 10, 4, 1)),
        Series(YEARS[1], (72, 20, 6, 2, 0)),
        Series(YEARS[2], (80, 12, 5, 3, 0)),
    ),
    unit="%",
    alt="Most disputes were resolved informally, and the informal share grew from 60% to 80% over three years.",
    table=Table(
        caption="Disputes by the stage at which they were resolved",
        columns=("Stage", *YEARS),
        rows=(
            ("Informal", "60%", "72%", "80%"),
            ("Stage 1", "25%", "20%", "12%"),
            ("Stage 2", "10%", "6%", "5%"),
            ("Stage 3", "4%", "2%", "3%"),
            ("Referred to Cafcass", "1%", "0%", "0%"),
        ),
    ),
)

THEMES_CHART = Chart(
    kind="horizontal",
    title="What disputes were about, 2024 to 2025",
    categories=(
        "Care plan not progressed between reviews",
        "Permanence plan delayed beyond the second review",
        "Placement stability and matching",
        "Health assessment overdue",
        "Contact with brothers and sisters",
    ),
    series=(Series("Disputes", (41, 23, 17, 12, 7)),),
    unit="disputes",
    alt="The most common reason for a dispute was a care plan not progressed between reviews (41).",
    table=Table(
        caption="What disputes were about, 2024 to 2025",
        columns=("Theme", "Disputes"),
        rows=(
            ("Care plan not progressed between reviews", "41"),
            ("Permanence plan delayed beyond the second review", "23"),
            ("Placement stability and matching", "17"),
            ("Health assessment overdue", "12"),
            ("Contact with brothers and sisters", "7"),
        ),
    ),
)

CASELOAD_TABLE = Table(
    caption="Children allocated to each IRO at 31 March 2025",
    columns=("IRO", "Children", "Of whom placed out of area", "Reviews chaired"),
    rows=tuple(
        (f"IRO {number:02d}", str(48 + number % 17), str(5 + number % 7), str(110 + 3 * number))
        for number in range(1, 31)
    ),
    note="IROs are shown by number, not by name.",
)

DEFINITIONS_TABLE = Table(
    caption="How each figure is defined",
    columns=("Figure", "Definition"),
    rows=(
        (
            "Reviews held on time",
            "Reviews held on or before their due date, as a share of all reviews held in the year.",
        ),
        ("First review on time", "First reviews held within 20 working days of the child coming into care."),
        ("Participation", "How the child took part in the review, from the national PN codes."),
    ),
    kpi_ids=("reviews.on_time", "reviews.first_on_time", "participation.breakdown"),
)


def sample_report() -> Report:
    return Report(
        title="Independent Reviewing Officer annual report",
        subtitle="Report to the Corporate Parenting Board",
        authority="Northmoor Borough Council",
        period_label="1 April 2024 to 31 March 2025",
        prepared="Prepared by the IRO service manager on 3 June 2025",
        sections=(
            Section(
                id="summary",
                title="Summary",
                blocks=(
                    KeyFigures(
                        (
                            KeyFigure("reviews held on time", "89.1%", "873 of 980 reviews"),
                            KeyFigure("children in care at 31 March", "438", "down from 469"),
                            KeyFigure("disputes raised", "100", "80 resolved informally"),
                            KeyFigure("average IRO caseload", "58"),
                        )
                    ),
                    Paragraph("Reviews held on time rose from 86.2% to 89.1%, up 2.9 percentage points."),
                    Narrative(
                        "This year the service focused on timely first reviews.\n\n"
                        "Children & young people told us they want shorter meetings <and> fewer adults present."
                    ),
                ),
            ),
            Section(
                id="reviews",
                title="Reviews and children's participation",
                blocks=(
                    Paragraph("The regulations set the timescale for each review."),
                    TIMELINESS_TABLE,
                    TIMELINESS_CHART,
                    PARTICIPATION_CHART,
                ),
                subsections=(
                    Section(
                        id="reviews-voice",
                        title="The child's voice",
                        blocks=(Narrative("", missing="How children's views changed their plans this year."),),
                    ),
                ),
            ),
            Section(
                id="disputes",
                title="Challenge and dispute resolution",
                blocks=(
                    Paragraph("IROs raised 100 disputes this year."),
                    DISPUTES_CHART,
                    THEMES_CHART,
                    CASELOAD_TABLE,
                ),
            ),
            Section(
                id="definitions",
                title="Appendix: definitions",
                blocks=(DEFINITIONS_TABLE,),
                appendix=True,
            ),
        ),
        suppressed=True,
        notes=("Figures are from the service's case records as at 30 April 2025.",),
    )


def table_blocks(report: Report) -> list[Table]:
    """Every Table block, in order, including the data tables of charts."""
    found: list[Table] = []
    for section in report.all_sections():
        for block in section.blocks:
            if isinstance(block, Table):
                found.append(block)
            elif isinstance(block, Chart):
                found.append(block.table)
    return found


def charts(report: Report) -> list[Chart]:
    return [block for section in report.all_sections() for block in section.blocks if isinstance(block, Chart)]
