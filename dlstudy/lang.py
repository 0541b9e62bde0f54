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

__all__ = ["LANGUAGES", "set_language", "get_language", "tr"]

LANGUAGES = ("en", "ko")
_chosen = None   # set by set_language; None means: read DLSTUDY_LANG, else English


def set_language(language):
    """Make dlstudy speak ``language`` ("en" or "ko") from now on in this kernel.

    >>> set_language("kr")
    Traceback (most recent call last):
    ...
    ValueError: set_language: language must be one of 'en', 'ko'; got 'kr'. Use set_language("ko") for Korean.
    >>> set_language("en")
    """
    global _chosen
    if language not in LANGUAGES:
        raise ValueError(f"set_language: language must be one of 'en', 'ko'; got {language!r}. "
                         'Use set_language("ko") for Korean.')
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


def tr(en, ko):
    """``en`` or ``ko``, whichever the learner reads; both are required, neither may be empty.

    >>> set_language("en"); tr("{n} epochs", "에폭 {n}번").format(n=3)
    '3 epochs'
    """
    if not (isinstance(en, str) and isinstance(ko, str) and en and ko):
        raise ValueError("tr: every message needs its English and its Korean text, both non-empty strings.")
    return ko if get_language() == "ko" else en
