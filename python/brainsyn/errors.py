"""Exceptions raised by brainsyn.

Every error is a :class:`BrainsynError`; most are also a built-in exception
(``ValueError``, ``TypeError``, ...) so existing ``except`` clauses work.
The names BrainPy 1.0 used (``ModelUseError``, ``ModelDefError``,
``RunningError``) are kept as aliases.
"""

__all__ = ["BrainsynError", "BrainsynValueError", "BrainsynTypeError", "BrainsynIndexError",
           "BrainsynKeyError", "BrainsynRuntimeError", "NaNError", "ClosedError", "ForkError",
           "MemoryGuardError", "LeftOutWarning", "ModelUseError", "ModelDefError", "RunningError"]


class BrainsynError(Exception):
    """Base class of every brainsyn error."""


class BrainsynValueError(BrainsynError, ValueError):
    """A value is out of range, NaN, or of the wrong length."""


class BrainsynTypeError(BrainsynError, TypeError):
    """An argument has the wrong type, or a keyword is unknown."""


class BrainsynIndexError(BrainsynError, IndexError):
    """An index is out of range."""


class BrainsynKeyError(BrainsynError, KeyError):
    """A name (variable, model, connector) is unknown."""

    def __str__(self):  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


class BrainsynRuntimeError(BrainsynError, RuntimeError):
    """The engine cannot do what was asked in the current state."""


class NaNError(BrainsynError, FloatingPointError):
    """A state variable became NaN while ``bp.check_nan`` is on."""


class ClosedError(BrainsynRuntimeError):
    """An object was used after ``close()``."""


class ForkError(BrainsynRuntimeError):
    """brainsyn was used in a process forked after the Go runtime started."""


class MemoryGuardError(BrainsynError, MemoryError):
    """Monitors of a run would need more memory than the machine has."""


class LeftOutWarning(UserWarning):
    """An object a network needs was not added to it (it will not be updated)."""


ModelUseError = BrainsynValueError
ModelDefError = BrainsynTypeError
RunningError = BrainsynRuntimeError

_CLASSES = {
    "ValueError": BrainsynValueError,
    "TypeError": BrainsynTypeError,
    "IndexError": BrainsynIndexError,
    "KeyError": BrainsynKeyError,
    "RuntimeError": BrainsynRuntimeError,
    "FloatingPointError": NaNError,
    "MemoryError": MemoryGuardError,  # an array over the engine's size limit
}


def from_native(message):
    """Turn an engine message "Class: text" into the matching exception."""
    cls_name, sep, text = str(message).partition(": ")
    cls = _CLASSES.get(cls_name) if sep else None
    if cls is None:
        return BrainsynRuntimeError(str(message))
    return cls(text)
