"""The narrative file: what only people can write (foreword, practice examples, children's words,
progress on last year's priorities, next year's priorities, and commentary on any section). YAML,
or Markdown with YAML front matter. Without it the report is still complete and readable."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from iroscope.metrics.registry import all_kpis


class NarrativeError(ValueError):
    """The narrative file cannot be used; the message says why and where."""


@dataclass(frozen=True)
class PracticeExample:
    title: str
    text: str


@dataclass(frozen=True)
class Progress:
    priority: str
    progress: str


@dataclass(frozen=True)
class KeyMessage:
    """The service manager's words for one heading of the key messages: added after the messages
    worked out from the figures, or in their place when `replace` is set."""

    text: str
    replace: bool = False


@dataclass(frozen=True)
class Target:
    """A target the service set itself for one figure (by its id, as `iroscope kpis` lists them): met
    when the figure is at least `target`, or at most it when `at_most` (a caseload, say)."""

    figure: str
    target: float
    at_most: bool = False


@dataclass(frozen=True)
class NarrativeContent:
    authority: str | None = None
    prepared_by: str | None = None
    foreword: str = ""
    practice_examples: tuple[PracticeExample, ...] = ()
    childrens_words: tuple[str, ...] = ()
    progress: tuple[Progress, ...] = ()
    priorities: tuple[str, ...] = ()
    commentary: dict[str, str] = field(default_factory=dict)  # section id -> text
    key_messages: dict[str, KeyMessage] = field(default_factory=dict)  # heading id -> the manager's words
    targets: tuple[Target, ...] = ()


# The headings of the key messages, as the IRO Handbook (para 7.11) lists what the report covers.
KEY_MESSAGE_HEADINGS: dict[str, str] = {
    "development": "Development of the service",
    "timeliness": "Timeliness of reviews",
    "participation": "Participation of children and young people",
    "disputes": "Dispute resolution",
    "good_practice": "Good practice",
    "further_development": "Issues for further development",
    "resources": "Resource issues that put the service at risk",
}

# Each section a reader may comment on, with the prompt the template gives for it.
SECTION_PROMPTS: dict[str, str] = {
    "service": "Changes to the IRO team this year: recruitment, vacancies, training, management oversight.",
    "children": "What the figures say about the children in care: changes in numbers, needs and placements.",
    "timeliness": "Why reviews were late, and what was done about it.",
    "participation": "How children took part in their reviews and how their views shaped plans.",
    "oversight": "How IROs oversaw plans between reviews: midway reviews and case tracking.",
    "visits": "How IROs got to know children before their reviews.",
    "disputes": "Themes in the concerns IROs raised, and what changed as a result.",
    "good_practice": "The good practice IROs recognised.",
    "advocacy": "Advocacy and independent visitors: availability and waiting times.",
    "quality": "Audit findings, feedback and what the service learned.",
}


def _text(raw: dict[str, Any], key: str, source: str) -> str:
    value = raw.get(key) or ""
    if not isinstance(value, str):
        raise NarrativeError(f"{source}: '{key}' should be text, not {type(value).__name__}")
    return value.strip()


def _list_of(raw: dict[str, Any], key: str, source: str) -> list[Any]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise NarrativeError(f"{source}: '{key}' should be a list (lines starting with '- ')")
    return value


def parse_narrative(text: str, *, source: str = "narrative") -> NarrativeContent:
    body = ""
    if text.lstrip().startswith("---"):
        _, front, *rest = [*text.lstrip().split("---", 2), ""]
        text, body = front, rest[0]
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise NarrativeError(f"{source}: this is not valid YAML{where}: {getattr(error, 'problem', error)}") from error
    if not isinstance(raw, dict):
        raise NarrativeError(f"{source}: expected named sections such as 'foreword:', found {type(raw).__name__}")
    known = {
        "authority",
        "prepared_by",
        "foreword",
        "practice_examples",
        "childrens_words",
        "progress",
        "priorities",
        "commentary",
        "key_messages",
        "targets",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        raise NarrativeError(
            f"{source}: unknown section {', '.join(unknown)}; known sections: {', '.join(sorted(known))}"
        )
    examples = []
    for item in _list_of(raw, "practice_examples", source):
        if not isinstance(item, dict) or "text" not in item:
            raise NarrativeError(f"{source}: each practice example needs a 'title' and a 'text'")
        examples.append(PracticeExample(str(item.get("title", "")).strip(), str(item["text"]).strip()))
    progress = []
    for item in _list_of(raw, "progress", source):
        if not isinstance(item, dict) or "priority" not in item:
            raise NarrativeError(f"{source}: each progress entry needs a 'priority' and a 'progress'")
        progress.append(Progress(str(item["priority"]).strip(), str(item.get("progress", "")).strip()))
    commentary = raw.get("commentary") or {}
    if not isinstance(commentary, dict):
        raise NarrativeError(f"{source}: 'commentary' should name sections, such as 'timeliness: ...'")
    unknown_sections = sorted(set(commentary) - set(SECTION_PROMPTS))
    if unknown_sections:
        named, known_sections = ", ".join(unknown_sections), ", ".join(SECTION_PROMPTS)
        raise NarrativeError(f"{source}: commentary for unknown section {named}; sections: {known_sections}")
    foreword = _text(raw, "foreword", source) or body.strip()
    return NarrativeContent(
        key_messages=_key_messages(raw, source),
        targets=_targets(raw, source),
        authority=_text(raw, "authority", source) or None,
        prepared_by=_text(raw, "prepared_by", source) or None,
        foreword=foreword,
        practice_examples=tuple(examples),
        childrens_words=tuple(str(words).strip() for words in _list_of(raw, "childrens_words", source)),
        progress=tuple(progress),
        priorities=tuple(str(p).strip() for p in _list_of(raw, "priorities", source)),
        commentary={key: str(value).strip() for key, value in commentary.items() if value},
    )


def _key_messages(raw: dict[str, Any], source: str) -> dict[str, KeyMessage]:
    """`key_messages:` names headings; each holds text (added to the computed messages) or `text:` and
    `replace: true` (used instead of them)."""
    given = raw.get("key_messages") or {}
    if not isinstance(given, dict):
        raise NarrativeError(f"{source}: 'key_messages' should name headings, such as 'timeliness: ...'")
    unknown = sorted(set(given) - set(KEY_MESSAGE_HEADINGS))
    if unknown:
        raise NarrativeError(
            f"{source}: key messages for unknown heading {', '.join(unknown)}; "
            f"headings: {', '.join(KEY_MESSAGE_HEADINGS)}"
        )
    messages = {}
    for heading, value in given.items():
        if isinstance(value, dict):
            replace = value.get("replace", False)
            if not isinstance(replace, bool):
                raise NarrativeError(f"{source}: key_messages: {heading}: 'replace' should be true or false")
            text = str(value.get("text") or "").strip()
        elif isinstance(value, str) or value is None:
            text, replace = (value or "").strip(), False
        else:
            raise NarrativeError(f"{source}: key_messages: {heading} should be text")
        if text:
            messages[heading] = KeyMessage(text, replace)
    return messages


def _targets(raw: dict[str, Any], source: str) -> tuple[Target, ...]:
    """`targets:` is a list of `figure:` (a figure's id) and `target:` (a number), with `at_most: true`
    for a figure that should stay at or under its target."""
    targets = []
    known = all_kpis()
    for number, item in enumerate(_list_of(raw, "targets", source), start=1):
        if not isinstance(item, dict) or "figure" not in item or "target" not in item:
            raise NarrativeError(f"{source}: target {number} needs a 'figure' and a 'target'")
        value, at_most = item["target"], item.get("at_most", False)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise NarrativeError(f"{source}: target {number}: 'target' should be a number, such as 95")
        if not isinstance(at_most, bool):
            raise NarrativeError(f"{source}: target {number}: 'at_most' should be true or false")
        figure = str(item["figure"]).strip()
        if figure not in known:
            raise NarrativeError(
                f"{source}: target {number}: there is no figure called '{figure}' (iroscope kpis lists them)"
            )
        targets.append(Target(figure, float(value), at_most))
    return tuple(targets)


def read_narrative(path: Path) -> NarrativeContent:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise NarrativeError(f"{path}: could not be read ({error})") from error
    return parse_narrative(text, source=str(path))


DEMO_NARRATIVE = "demo_narrative.yaml"
ILLUSTRATIVE = "This is an illustrative narrative written for a synthetic authority"


def demo_narrative() -> NarrativeContent:
    """The narrative `iroscope demo` prints: written for a synthetic authority and marked as such, with
    no figures of its own, so the demonstration report has every part filled and contradicts nothing."""
    text = resources.files("iroscope.report").joinpath(DEMO_NARRATIVE).read_text(encoding="utf-8")
    return parse_narrative(text, source=DEMO_NARRATIVE)


def narrative_template() -> str:
    """A narrative file with every section's prompt, for the service manager to fill in."""
    commentary = "\n".join(f'  # {prompt}\n  {section}: ""\n' for section, prompt in SECTION_PROMPTS.items())
    key_messages = "\n".join(f'  # {title}\n  {heading}: ""' for heading, title in KEY_MESSAGE_HEADINGS.items())
    return f"""# The narrative of the annual IRO report: what only people can write.
# Fill in what you want; leave the rest blank. The figures come from the data, not from here.
# Do not include children's names or anything that could identify a child.

# The name of the authority, as it should appear on the cover.
authority: ""
# Who prepared the report (for example "Head of Safeguarding and Quality Assurance").
prepared_by: ""

# The foreword: the year in a few paragraphs. Leave a blank line between paragraphs.
foreword: |


# Examples of practice that made a difference for a child (anonymised).
practice_examples:
  # - title: "Keeping brothers together"
  #   text: "..."

# Children's and young people's words about their reviews or their IRO (anonymised quotes).
childrens_words:
  # - "My IRO listened to what I wanted."

# Progress on the priorities set in last year's report.
progress:
  # - priority: "Improve the timeliness of records of reviews"
  #   progress: "..."

# Priorities for next year.
priorities:
  # - "..."

# Commentary to print at the start of a section of the report.
commentary:
{commentary}
# The key messages at the front are worked out from the figures. Add your own words under any heading
# (they follow the worked-out messages), or give text with replace: true to use yours instead.
key_messages:
{key_messages}

# Targets the service set itself, shown with whether each was met. figure is the figure's id (run
# iroscope kpis --definitions to list them); add at_most: true for a figure that should stay under
# its target, such as children per full-time IRO.
targets:
  # - figure: reviews_on_time
  #   target: 95
  # - figure: caseload_per_iro
  #   target: 60
  #   at_most: true
"""


# -- the narrative as separate parts, for the workspace's report builder -------------------------


PartKind = Literal["text", "yes_no", "targets"]


@dataclass(frozen=True)
class NarrativePart:
    """One part of the narrative a person writes as plain text: `id` is the key it is stored under.
    A "yes_no" part holds "yes" or nothing; a "targets" part holds one target on each line."""

    id: str
    title: str
    prompt: str
    kind: PartKind = "text"


YES = "yes"
REPLACE_SUFFIX = ".replace"


def key_message_part(heading: str) -> str:
    return f"key_messages.{heading}"


def replace_part(heading: str) -> str:
    """The yes/no part saying whether the manager's words for a heading replace the computed ones."""
    return f"{key_message_part(heading)}{REPLACE_SUFFIX}"


_COMMENTARY_TITLES: dict[str, str] = {
    "service": "The IRO service and team",
    "children": "Children in care",
    "timeliness": "Reviews and their timeliness",
    "participation": "Participation and the child's voice",
    "oversight": "Midway reviews and oversight between reviews",
    "visits": "IRO visits and consultations",
    "disputes": "Resolving concerns",
    "good_practice": "Good practice",
    "advocacy": "Advocacy and independent visitors",
    "quality": "Quality assurance",
}

# Lists are written as blocks of text with a blank line between items, so a textarea can hold them.
NARRATIVE_PARTS: tuple[NarrativePart, ...] = (
    NarrativePart(
        "authority",
        "Name of the authority",
        "As it should appear on the cover. Leave it blank to use the name held with the data.",
    ),
    NarrativePart(
        "prepared_by",
        "Prepared by",
        "Who prepared the report, for example “Head of Safeguarding and Quality Assurance”.",
    ),
    NarrativePart("foreword", "Foreword", "The year in a few paragraphs. Leave a blank line between paragraphs."),
    *(
        NarrativePart(
            key_message_part(heading),
            f"Key messages: {title}",
            "Your words follow the messages the report works out from the figures, or replace them if you say so.",
        )
        for heading, title in KEY_MESSAGE_HEADINGS.items()
    ),
    *(
        NarrativePart(
            replace_part(heading),
            f"Key messages: {title}: replace the computed message",
            "Replace the computed message with mine",
            kind="yes_no",
        )
        for heading, title in KEY_MESSAGE_HEADINGS.items()
    ),
    NarrativePart(
        "practice_examples",
        "Examples of practice",
        "Examples of practice that made a difference for a child, anonymised. Put each example's title on its "
        "first line and leave a blank line between examples.",
    ),
    NarrativePart(
        "childrens_words",
        "Children's own words",
        "Children's and young people's words about their reviews or their IRO, anonymised. Leave a blank line "
        "between quotes.",
    ),
    NarrativePart(
        "progress",
        "Progress on last year's priorities",
        "Put each priority on its first line and the progress made below it. Leave a blank line between priorities.",
    ),
    NarrativePart("priorities", "Priorities for next year", "One priority on each line."),
    NarrativePart(
        "targets",
        "Targets the service set",
        "One target on each line: the figure's name or id, then “at least” or “at most” and a number. For "
        "example “Reviews held on time: at least 95” or “caseload_per_iro <= 60”.",
        kind="targets",
    ),
    *(
        NarrativePart(f"commentary.{section}", f"Commentary: {_COMMENTARY_TITLES[section]}", prompt)
        for section, prompt in SECTION_PROMPTS.items()
    ),
)


def _blocks(text: str) -> list[list[str]]:
    """Blocks of non-blank lines, separated by blank lines."""
    blocks: list[list[str]] = [[]]
    for line in text.strip().splitlines():
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def narrative_from_parts(texts: Mapping[str, str]) -> NarrativeContent:
    """The narrative from the text of each part (keyed by `NarrativePart.id`); missing parts are blank."""

    def text(part_id: str) -> str:
        return (texts.get(part_id) or "").strip()

    return NarrativeContent(
        authority=" ".join(text("authority").split()) or None,
        prepared_by=" ".join(text("prepared_by").split()) or None,
        foreword=text("foreword"),
        practice_examples=tuple(
            PracticeExample(block[0], " ".join(block[1:])) if len(block) > 1 else PracticeExample("", block[0])
            for block in _blocks(text("practice_examples"))
        ),
        childrens_words=tuple(" ".join(block) for block in _blocks(text("childrens_words"))),
        progress=tuple(Progress(block[0], " ".join(block[1:])) for block in _blocks(text("progress"))),
        priorities=tuple(line.strip() for line in text("priorities").splitlines() if line.strip()),
        commentary={
            section: text(f"commentary.{section}") for section in SECTION_PROMPTS if text(f"commentary.{section}")
        },
        key_messages={
            heading: KeyMessage(text(key_message_part(heading)), replace=text(replace_part(heading)) == YES)
            for heading in KEY_MESSAGE_HEADINGS
            if text(key_message_part(heading))
        },
        # A line that cannot be read was refused when it was typed; one that stops being readable (a
        # figure withdrawn since) is left out rather than stopping the report.
        targets=read_target_lines(text("targets")).targets,
    )


# -- targets written one to a line, for the report builder ---------------------------------------

_TARGET_LINE = re.compile(
    r"^(?P<figure>.*?)\s*(?::\s*(?P<words>at\s+least|at\s+most)|(?P<sign>>=|<=|≥|≤))\s*"
    r"(?P<number>\d[\d,]*(?:\.\d+)?)\s*%?$",
    re.IGNORECASE,
)
TARGET_EXAMPLE = "“Reviews held on time: at least 95”"


@dataclass(frozen=True)
class TargetLines:
    targets: tuple[Target, ...]
    problems: tuple[str, ...]  # one message for each line that cannot be read, naming its number


def figure_named(name: str) -> str | None:
    """The id of the figure a person named, by its id or its title, in any case and spacing."""
    wanted = " ".join(name.split()).casefold()
    for kpi_id, kpi in all_kpis().items():
        if wanted in (kpi_id.casefold(), " ".join(kpi.title.split()).casefold()):
            return kpi_id
    return None


def read_target_lines(text: str) -> TargetLines:
    """Targets written one to a line, "Reviews held on time: at least 95" or "reviews_on_time >= 95";
    blank lines are skipped."""
    targets, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _TARGET_LINE.match(line)
        if match is None or not match["figure"].strip():
            problems.append(
                f"Line {number}: write the figure, then “at least” or “at most” and a number, for example "
                f"{TARGET_EXAMPLE}."
            )
            continue
        figure = figure_named(match["figure"])
        if figure is None:
            problems.append(
                f"Line {number}: there is no figure called '{match['figure'].strip()}'. The figures you can name "
                "are listed below."
            )
            continue
        at_most = "most" in (match["words"] or "").lower() or match["sign"] in ("<=", "≤")
        targets.append(Target(figure, float(match["number"].replace(",", "")), at_most))
    return TargetLines(tuple(targets), tuple(problems))
