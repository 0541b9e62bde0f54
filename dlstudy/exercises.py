"""Self-checks for the chapter exercises: print pass / not yet with a hint, never raise."""

__all__ = ["check"]


def check(name, test, hint=""):
    """Run ``test()`` and print whether exercise ``name`` passes; returns True or False, never raises.

    An untouched stub raises ``NotImplementedError``; that counts as "not yet".

    >>> check("sum", lambda: 1 + 1 == 2)
    ✅ sum: pass
    True
    >>> def stub(): raise NotImplementedError
    >>> check("stub", stub, hint="write the function first")
    ⏳ stub: not yet. Hint: write the function first
    False
    """
    try:
        passed, problem = bool(test()), ""
    except NotImplementedError:
        passed, problem = False, ""
    except Exception as error:  # a learner's half-written code may raise anything
        first_line = (str(error).splitlines() or [""])[0][:200]
        passed, problem = False, f" Your code raised {type(error).__name__}: {first_line}."
    if passed:
        print(f"✅ {name}: pass")
    else:
        print(f"⏳ {name}: not yet.{problem}" + (f" Hint: {hint}" if hint else ""))
    return passed
