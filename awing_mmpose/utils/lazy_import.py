"""Lazy ``__init__`` modules (PEP 562): a package's subpackages or public
names are imported when first used, so importing the package imports none
of its dependencies."""
import importlib
from typing import Callable, Dict, List, Sequence, Tuple


def lazy_subpackages(package: str, names: Sequence[str]
                     ) -> Tuple[Callable[[str], object], Callable[[], List]]:
    """``(__getattr__, __dir__)`` for the ``__init__`` of ``package``:
    ``package.<name>`` imports the subpackage ``name`` when first used.

    Example (in ``awing_mmpose/models/__init__.py``)::

        __getattr__, __dir__ = lazy_subpackages(__name__, ('heads', ...))
    """
    return lazy_attributes(package, {name: None for name in names})


def lazy_attributes(package: str, sources: Dict[str, object]
                    ) -> Tuple[Callable[[str], object], Callable[[], List]]:
    """``(__getattr__, __dir__)`` for the ``__init__`` of ``package``:
    ``package.<name>`` (and ``from package import name``) imports the
    module that defines ``name`` when first used.

    Args:
        package (str): the package, ``__name__`` of its ``__init__``.
        sources (dict): public name -> the module defining it, relative to
            ``package`` (``'checkpoint'``); ``None`` for a subpackage or
            module of that name.

    Example (in ``awing_mmpose/utils/__init__.py``)::

        __getattr__, __dir__ = lazy_attributes(
            __name__, {'checkpoint_loading': 'checkpoint', ...})
    """
    sources = dict(sources)

    def __getattr__(name: str):
        if name not in sources:
            raise AttributeError(
                f'module {package!r} has no attribute {name!r}')
        module = sources[name]
        if module is None:
            return importlib.import_module(f'{package}.{name}')
        return getattr(importlib.import_module(f'{package}.{module}'), name)

    def __dir__() -> List[str]:
        module = importlib.import_module(package)
        return sorted(set(vars(module)) | set(sources))

    return __getattr__, __dir__
