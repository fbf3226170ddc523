"""Subpackages imported on first attribute access (PEP 562)."""
import importlib
from typing import Callable, List, Sequence, Tuple


def lazy_subpackages(package: str, names: Sequence[str]
                     ) -> Tuple[Callable[[str], object], Callable[[], List]]:
    """``(__getattr__, __dir__)`` for the ``__init__`` of ``package``:
    ``package.<name>`` imports the subpackage ``name`` when first used.

    Example (in ``awing_mmpose/models/__init__.py``)::

        __getattr__, __dir__ = lazy_subpackages(__name__, ('heads', ...))
    """
    names = tuple(names)

    def __getattr__(name: str):
        if name in names:
            return importlib.import_module(f'{package}.{name}')
        raise AttributeError(f'module {package!r} has no attribute {name!r}')

    def __dir__() -> List[str]:
        module = importlib.import_module(package)
        return sorted(set(vars(module)) | set(names))

    return __getattr__, __dir__
