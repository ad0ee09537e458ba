"""Mutated official documents end in an import or a clear error, never in a partial write.

The suite runs a short campaign; `make fuzz` runs a long one (FUZZ_EXAMPLES) and prints
how many inputs it tried. One input in ten is a hostile document (tests/standards/
hostile.py), perhaps cut short: it too must end within the time limit. Three in ten are
a sample's interchange JSON with values swapped for odd ones (wrong types, NaN, numbers
of thousands of digits, lone surrogates, NUL characters, keys given twice).
"""

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from standards.parsing import ParseError
from standards.reader import read_document
from standards.services import standard_import
from tests.factories import SAMPLES as JSON_SAMPLES
from tests.standards.hostile import HOSTILE_DOCUMENTS, finishes_within
from tests.standards.samples import expected_data, table_counts

DATA = Path(__file__).resolve().parents[2] / "standards" / "data"
SAMPLES = {path.stem: path.read_bytes() for path in sorted(DATA.glob("*.txt"))}
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
# Many times what the slowest hostile document needs on a busy machine.
TIME_LIMIT = 10

pytestmark = pytest.mark.django_db


def lines_of(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@st.composite
def mutated_documents(draw) -> bytes:
    data = SAMPLES[draw(st.sampled_from(sorted(SAMPLES)))]
    for _ in range(draw(st.integers(1, 4))):
        mutation = draw(
            st.sampled_from(
                ["truncate", "drop", "duplicate", "shuffle", "bytes", "encoding", "huge"]
            )
        )
        lines = lines_of(data)
        line = draw(st.integers(0, len(lines) - 1))
        if mutation == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif mutation == "drop":
            del lines[line]
            data = b"\n".join(lines)
        elif mutation == "duplicate":
            lines.insert(draw(st.integers(0, len(lines))), lines[line])
            data = b"\n".join(lines)
        elif mutation == "shuffle":
            cells = lines[line].split(b"\t")
            lines[line] = b"\t".join(draw(st.permutations(cells)))
            data = b"\n".join(lines)
        elif mutation == "bytes":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]
        elif mutation == "encoding":
            encoding = draw(st.sampled_from(["big5", "utf-16", "cp950", "gb18030"]))
            data = data.decode("utf-8", "replace").encode(encoding, "replace")
        else:
            lines[line] += b"\t" + "很長的儲存格".encode() * draw(st.integers(100, 5000))
            data = b"\n".join(lines)
    return data


@st.composite
def hostile_documents(draw) -> bytes:
    data = HOSTILE_DOCUMENTS[draw(st.sampled_from(sorted(HOSTILE_DOCUMENTS)))]().encode()
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


ODD_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(codec=None, categories=["Cs", "Cc", "Lo", "Nd", "Po"]), max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["code", "name", "level", "x"]), children, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def mutated_json(draw) -> bytes:
    data = expected_data(draw(st.sampled_from(JSON_SAMPLES)))
    for _ in range(draw(st.integers(1, 3))):
        container, key = data, None
        # Walk down to a random value and swap it for an odd one.
        while True:
            keys = list(container) if isinstance(container, dict) else range(len(container))
            if not keys:
                break
            key = draw(st.sampled_from(list(keys)))
            child = container[key]
            if not child or not isinstance(child, dict | list) or draw(st.integers(0, 2)) == 0:
                break
            container = child
        if key is not None:
            container[key] = draw(ODD_VALUES)
    text = json.dumps(data, ensure_ascii=True, indent=1)
    trick = draw(st.sampled_from(["none", "huge number", "key twice", "deep"]))
    if trick == "huge number":
        text = text.replace('"base_level": ', '"base_level": ' + "9" * 5_000, 1)
    elif trick == "key twice":
        text = text.replace('"name": ', '"name": "twice", "name": ', 1)
    elif trick == "deep":
        text = text.replace('"notes": [', '"notes": [' + "[" * 100_000, 1)
    return text.encode()


@st.composite
def documents(draw) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(hostile_documents())
    if kind <= 3:
        return draw(mutated_json())
    return draw(mutated_documents())


def outcome_of(data: bytes) -> str:
    """Read and import `data`: "imported", or an error that wrote nothing (checked here)."""
    before = table_counts()
    try:
        with finishes_within(TIME_LIMIT):
            document = read_document(name="fuzzed.txt", data=data)
        standard_import(document=document)
    except ParseError as error:
        assert error.message
        assert table_counts() == before
        return "parse error"
    except ValidationError as error:
        assert error.messages
        assert table_counts() == before
        return "validation error"
    return "imported"


def test_mutated_documents_import_or_fail_cleanly_and_the_campaign_reaches_both(request):
    """The campaign, then its tally: it must have exercised both outcomes. The tally is
    printed too: it is what `make fuzz` reports."""
    outcomes: Counter = Counter()

    # Hypothesis tries its simplest inputs first, which are mostly refused: a sample as it
    # is and a file that is no document open every campaign, so a short one reaches both
    # outcomes too (and fails if a clean sample stops importing).
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=documents())
    @example(data=SAMPLES[sorted(SAMPLES)[0]])
    @example(data=b"\xff\xfe not a standard")
    def campaign(data: bytes) -> None:
        # Each input meets the same library: without the rollback, the first import of a
        # sample's code publishes it and every later variant is refused as a change to
        # a published version, so the campaign would stop reaching the writer.
        with transaction.atomic():
            outcomes[outcome_of(data)] += 1
            transaction.set_rollback(True)

    campaign()

    request.config.pluginmanager.get_plugin("terminalreporter").write_line(
        f"fuzz: {sum(outcomes.values())} inputs tried: "
        + ", ".join(f"{count} {kind}" for kind, count in outcomes.most_common())
    )
    assert outcomes["imported"] > 0
    assert outcomes["parse error"] + outcomes["validation error"] > 0
