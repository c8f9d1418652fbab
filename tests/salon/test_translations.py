"""Every user-facing string has a French translation, with the same placeholders."""

from __future__ import annotations

import re

from tests.salon.catalogue import french_catalogue, source_messages

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def test_every_message_has_a_french_translation():
    french = french_catalogue()
    messages = source_messages()
    missing = {msgid: where for msgid, where in messages.items() if msgid not in french}
    assert len(messages) > 500  # the extraction really ran over the code and templates
    assert "The form has errors: please correct the fields marked below." in messages  # templates/_macros/
    assert missing == {}


def test_french_translations_keep_the_placeholders():
    french = french_catalogue()
    wrong = {
        msgid: text
        for msgid, text in french.items()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
    }
    assert wrong == {}
