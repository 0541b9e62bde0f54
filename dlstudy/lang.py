"""The learner's language for what dlstudy prints: English by default, Korean on request.

Every learner-facing message is written once with both languages side by side,
``tr("pass", "통과")``, so no message can exist in one language only. The Korean
notebooks call ``set_language("ko")`` in their setup cell; ``DLSTUDY_LANG=ko`` does the
same for a whole session.

>>> set_language("ko"); tr("not yet", "아직이에요")
'아직이에요'
>>> set_language("en"); tr("not yet", "아직이에요")
'not yet'
"""

import os

from dlstudy.contract import Rule, declare, shown

__all__ = ["LANGUAGES", "set_language", "get_language", "tr", "Language", "Message"]

LANGUAGES = ("en", "ko")
_chosen = None   # set by set_language; None means: read DLSTUDY_LANG, else English


class Language(Rule):
    """One of ``LANGUAGES`` ("en" or "ko")."""

    def check(self, value, name):
        if value not in LANGUAGES or not isinstance(value, str):
            raise ValueError(f"set_language: {name} must be one of 'en', 'ko'; got {value!r}. "
                             'Use set_language("ko") for Korean.')
        return value


class Message(Rule):
    """One language's text of a message: a non-empty string."""

    def check(self, value, name):
        if not isinstance(value, str) or not value:
            raise ValueError(f"tr: {name} must be a non-empty string: every message needs its English text (en) and "
                             f"its Korean text (ko), both non-empty strings; got {shown(value)}.")
        return value


@declare(language=Language())
def set_language(language):
    """Make dlstudy speak ``language`` ("en" or "ko") from now on in this kernel.

    >>> set_language("kr")
    Traceback (most recent call last):
    ...
    ValueError: set_language: language must be one of 'en', 'ko'; got 'kr'. Use set_language("ko") for Korean.
    >>> set_language("en")
    """
    global _chosen
    _chosen = language


def get_language():
    """The language dlstudy prints in now: set_language's choice, else DLSTUDY_LANG, else "en".

    >>> set_language("en"); get_language()
    'en'
    """
    if _chosen is not None:
        return _chosen
    wanted = os.environ.get("DLSTUDY_LANG", "").strip().lower()[:2]
    return wanted if wanted in LANGUAGES else "en"


@declare(en=Message(), ko=Message())
def tr(en, ko):
    """``en`` or ``ko``, whichever the learner reads; both are required, neither may be empty.

    >>> set_language("en"); tr("{n} epochs", "에폭 {n}번").format(n=3)
    '3 epochs'
    """
    return ko if get_language() == "ko" else en
