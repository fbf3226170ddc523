"""Where an installed package's files are, without importing it (its data
folders hold the MTCNN weights, the background photographs, ...)."""
import importlib.util
import os.path as osp
from typing import Optional


def installed_package_dir(package: str, *parts: str) -> Optional[str]:
    """``<folder of the installed package>/<parts...>``, or ``None`` when the
    package is not installed. The package is located, not imported."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return osp.join(list(spec.submodule_search_locations)[0], *parts)
