"""Options built in Python escape what they show and mark what is chosen."""

from common.html import select_options
from standards.selectors import FacetChoice
from standards.templatetags.catalogue import facet_options


def test_select_options_escape_values_and_labels_and_mark_the_selected():
    html = select_options([("1", "<b>甲</b>", False), ('2"', "乙 & 丙", True)])
    assert html == (
        '<option value="1">&lt;b&gt;甲&lt;/b&gt;</option>'
        '<option value="2&quot;" selected>乙 &amp; 丙</option>'
    )


def test_facet_options_show_how_many_standards_each_choice_gives():
    choices = [
        FacetChoice("BHR", "BHR 人力資源", 12, False),
        FacetChoice("AVA", "AVA 影音", 3, True),
    ]
    assert facet_options(choices) == (
        '<option value="BHR">BHR 人力資源 (12)</option>'
        '<option value="AVA" selected>AVA 影音 (3)</option>'
    )
