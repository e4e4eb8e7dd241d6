"""Session 15 (s15news): ``news_crossval.py``'s ceiling of any rescorer, what a perfect ranking of the first
readings' proposals could give (every right one kept, every false one dropped). Hand-made proposals and labels."""

from __future__ import annotations

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.observations import Quantity  # noqa: E402
from tests.news_helpers import benchmark_module  # noqa: E402
from tests.test_news_rescore import DAY, proposal  # noqa: E402


def label(value, quantity="caravan_size", place=""):
    return {"file": "r.txt", "date": DAY.isoformat(), "quantity": quantity, "place": place, "value": str(value)}


def test_the_ceiling_counts_the_labels_reached_at_any_confidence():
    cv = benchmark_module("news_crossval", "s15")
    labels = [label(3000), label(200, "present", "Tapachula"), label(50, "detained", "MX"), label(10, "dead", "MX")]
    proposals = [proposal(value=3000.0, confidence=0.2),  # right, below the review threshold: reached all the same
                 proposal(value=3010.0, confidence=0.9),  # a second reading of the same label: one label reached
                 proposal(value=200.0, quantity=Quantity.present, place="Tapachula", confidence=0.6),
                 proposal(value=999.0, quantity=Quantity.detained, place="MX", confidence=0.9)]  # false
    reach, recall, f1 = cv.rescorer_ceiling(proposals, labels)
    assert reach == 2 and recall == pytest.approx(0.5) and f1 == pytest.approx(2 * 2 / (2 + 4))
    assert cv.rescorer_ceiling([], labels) == (0, 0.0, 0.0) and cv.rescorer_ceiling(proposals, []) == (0, 0.0, 0.0)
