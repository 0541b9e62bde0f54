"""Every message dlstudy prints for a learner exists in English and in Korean, with the same blanks to fill.

A message is written as ``tr("English", "한국어")``: the test reads every ``tr`` call in the package (no code
runs) and checks that both texts are given, that the Korean is Korean, and that both name the same values.
"""

import ast
import re
from pathlib import Path

import pytest

from dlstudy.lang import get_language, set_language, tr

PACKAGE = Path(__file__).resolve().parents[1] / "dlstudy"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _text_and_fields(node):
    """(the literal text, the sorted source of its {fields}) of a string or f-string node, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, sorted(re.findall(r"(?<!\{)\{(\w*)[^{}]*\}(?!\})", node.value))
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        fields = sorted(ast.unparse(v.value) for v in node.values if isinstance(v, ast.FormattedValue))
        return text, fields
    return None


PAIR_CALLS = {"tr": 0, "expect": 1, "_both": 0}   # function name -> where its (English, Korean) arguments start


def _is_text(node):
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _pairs():
    """(where, English node, Korean node) for every bilingual message written in the package: the arguments of
    tr / expect / _both calls, and every ("English", "한국어") tuple (titles, hints, rules' texts)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in PAIR_CALLS:
                start = PAIR_CALLS[getattr(node.func, "id", getattr(node.func, "attr", None))]
                args = node.args[start:start + 2]
                if len(args) == 2 and all(isinstance(a, (ast.Name, ast.Attribute, ast.Subscript)) for a in args):
                    continue              # a pass-through (tr(en, ko) inside a helper): checked where written
                if any(isinstance(a, ast.Starred) for a in node.args):
                    continue              # tr(*pair): the pair is a tuple, checked below
                found.append((where, *(args + [None, None])[:2]))
            elif (isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(map(_is_text, node.elts))
                  and HANGUL.search(ast.unparse(node.elts[1])) and not HANGUL.search(ast.unparse(node.elts[0]))):
                found.append((where, *node.elts))
    return found


PAIRS = _pairs()


def test_the_package_has_messages_in_both_languages():
    assert len(PAIRS) > 300


@pytest.mark.parametrize("where, english, korean", PAIRS, ids=[p[0] for p in PAIRS])
def test_each_message_has_english_and_korean_with_the_same_fields(where, english, korean):
    if isinstance(english, ast.Starred):         # tr(*pair): the pair is checked where it is written
        return
    en, ko = _text_and_fields(english), _text_and_fields(korean)
    assert en and ko, f"{where}: tr needs two written strings (English, Korean)"
    assert en[0].strip() and ko[0].strip(), f"{where}: an empty message"
    latin_name = ko[0] == en[0] and len(en[0].split()) <= 2                   # a name Korean keeps: "sigmoid"
    assert HANGUL.search(ko[0]) or latin_name or not re.search(r"[A-Za-z]{3}", ko[0].replace("dlstudy", "")), \
        f"{where}: the Korean text has no Korean: {ko[0]!r}"
    korean_fields = sorted(f[:-3] if f.endswith("_ko") else f for f in ko[1])  # {how_ko}: the value in Korean
    assert en[1] == korean_fields, f"{where}: the two texts fill in different values: {en[1]} vs {ko[1]}"


def _rule_pairs():
    from dlstudy.explain import RULES
    return [(rule.name, pair) for rule in RULES for pair in (rule.what, rule.fix) if not callable(pair)]


@pytest.mark.parametrize("name, pair", _rule_pairs())
def test_each_explain_rule_speaks_both_languages(name, pair):
    english, korean = pair
    assert english and HANGUL.search(korean), name
    assert sorted(re.findall(r"\{(\w+)\}", english)) == sorted(re.findall(r"\{(\w+)\}", korean)), name


def test_the_language_follows_set_language_then_the_environment(monkeypatch):
    monkeypatch.setattr("dlstudy.lang._chosen", None)
    monkeypatch.setenv("DLSTUDY_LANG", "ko_KR.UTF-8")
    assert get_language() == "ko" and tr("yes", "네") == "네"
    monkeypatch.setenv("DLSTUDY_LANG", "fr")
    assert get_language() == "en"
    set_language("ko")
    try:
        monkeypatch.setenv("DLSTUDY_LANG", "en")
        assert tr("yes", "네") == "네"
    finally:
        set_language("en")


@pytest.mark.parametrize("en, ko", [("", "네"), ("yes", ""), (None, "네"), ("yes", 3)])
def test_a_message_missing_a_language_is_refused(en, ko):
    with pytest.raises(ValueError, match="both non-empty"):
        tr(en, ko)
