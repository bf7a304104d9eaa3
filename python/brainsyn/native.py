"""Objects whose state lives in the Go engine.

Their variables are numpy views on engine memory: reading costs nothing and
``obj.V = value`` copies into the same memory, so the next run uses it.
"""

import difflib
import weakref

import numpy as np

from . import _native, errors

__all__ = ["NativeObject", "check_kwargs"]


def check_kwargs(owner, kwargs, valid):
    """Raise a TypeError naming an unknown keyword, with a suggestion."""
    for k in kwargs:
        if k not in valid:
            close = difflib.get_close_matches(k, valid, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise errors.BrainsynTypeError(
                f"{owner}() got an unexpected keyword argument {k!r}{hint} Valid: {', '.join(sorted(valid))}")


def unknown_var(obj, name, what):
    """Raise a KeyError: obj has no variable name to monitor or drive,
    listing the valid ones with a suggestion."""
    if obj._is_native():
        valid = sorted(obj.__dict__.get("_varinfo", {}))
    else:
        valid = sorted(k for k, v in vars(obj).items() if isinstance(v, np.ndarray))
    close = difflib.get_close_matches(name, valid, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise errors.BrainsynKeyError(f"{obj.name} has no variable {name!r} to {what}; valid: {', '.join(valid)}.{hint}")


# What the engine fixed when the object was made: assigning one afterwards
# would change the Python attribute and nothing else.
_BUILT_WITH = frozenset({"size", "num", "pre", "post", "conn", "layout", "method", "output",
                         "seed", "sources", "times", "indices"})


class NativeObject:
    """Mixin for objects backed by an engine handle."""

    def _attach(self, handle):
        d = self.__dict__
        d["_handle"] = handle
        d["_views"] = {}
        d["_varinfo"] = {v["name"]: v for v in _native.var_list(handle)}
        d["_finalizer"] = weakref.finalize(self, _native.free, handle)
        # Monitor names are known now: a typo fails here, not at the first run.
        for name, _ in self._mon_spec.items:
            if name not in d["_varinfo"]:
                self.close()
                unknown_var(self, name, "monitor")

    def _is_native(self):
        return True

    def _native_handle(self):
        h = self.__dict__.get("_handle")
        if h is None:
            raise errors.ClosedError(f"{self.name} was closed")
        return h

    @property
    def var_names(self):
        """Names of the engine-side variables."""
        return sorted(self.__dict__.get("_varinfo", {}))

    def _view(self, name):
        views = self.__dict__["_views"]
        v = views.get(name)
        if v is None:
            v = _native.var_view(self._native_handle(), name)
            info = {x["name"]: x for x in _native.var_list(self._handle)}
            self.__dict__["_varinfo"] = info
            meta = info.get(name, {})
            shape = meta.get("shape")
            if shape and int(np.prod(shape)) == v.size:
                v = v.reshape(shape)
            if meta.get("readonly"):
                v.flags.writeable = False
            views[name] = v
        return v

    def __getattr__(self, name):
        d = self.__dict__
        views = d.get("_views")
        if views:
            v = views.get(name)  # fast path: Python update loops read self.pre.spike etc. per element
            if v is not None:
                return v
        if name.startswith("__") or "_varinfo" not in d:
            raise AttributeError(name)
        if name in d["_varinfo"]:
            if d.get("_handle") is None:
                raise errors.ClosedError(f"{d.get('name', 'object')} was closed; its variables are gone")
            return self._view(name)
        raise AttributeError(f"{type(self).__name__} object {d.get('name', '')!r} has no attribute {name!r}")

    def __setattr__(self, name, value):
        d = self.__dict__
        if "_varinfo" in d and name in d["_varinfo"]:
            view = self._view(name)
            if not view.flags.writeable:
                raise errors.BrainsynValueError(
                    f"{self.name}.{name} is a read-only view of state kept per presynaptic or postsynaptic "
                    f"neuron (layout {getattr(self, 'layout', '?')!r}); create the synapse with "
                    f"layout='synapse' to set it per synapse")
            arr = np.asarray(value)
            if arr.dtype.kind not in "biuf":
                raise errors.BrainsynTypeError(f"{self.name}.{name} takes numbers, got dtype {arr.dtype}")
            try:
                src = np.broadcast_to(arr, view.shape)
            except ValueError:
                raise errors.BrainsynValueError(
                    f"{self.name}.{name} has shape {view.shape}; cannot assign an array of shape {arr.shape}") from None
            if view.dtype != np.bool_ and not np.all(np.isfinite(src)):
                raise errors.BrainsynValueError(f"{self.name}.{name}: values must be finite (got NaN or inf)")
            view[...] = src
            return
        if name in _BUILT_WITH and "_varinfo" in d:
            raise errors.BrainsynValueError(
                f"{d.get('name', type(self).__name__)}.{name} is fixed when the object is built (the engine holds "
                f"it); build a new one to change it")
        object.__setattr__(self, name, value)


    def close(self):
        """Release the engine memory now (views already taken stay valid)."""
        d = self.__dict__
        if d.get("_handle") is not None:
            d["_finalizer"]()
            d["_handle"] = None
            d["_views"] = {}
