"""Machine-readable records of the measuring tools (their ``--json``).

A record says what was run and on what, beside the figures themselves::

    {"tool": "tools/analysis/eval_real_faces.py",
     "command": "python tools/analysis/eval_real_faces.py --data-dir ...",
     "date": "2026-11-30T10:00:00+00:00",
     "git": {"commit": "...", "dirty": false},
     "versions": {"python": ..., "torch": ..., "mmpose": ..., ...},
     "settings": {...}, "results": {...}}

Paths inside the repository are written relative to it, so a record does
not name the machine it ran on.
"""
import datetime
import json
import os
import os.path as osp
import platform
import shlex
import subprocess
import sys
from typing import Optional, Sequence

__all__ = ['REPO_ROOT', 'repo_relative', 'run_record', 'write_record']

#: the checkout this package was imported from (its parent folder)
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

_PACKAGES = ('torch', 'mmpose', 'mmengine', 'mmcv', 'mmdet', 'numpy',
             'opencv-python', 'onnxruntime')


def repo_relative(path):
    """An absolute ``path`` inside the repository, relative to it; any other
    value (a relative path, a path elsewhere, not a string) as it is."""
    if not isinstance(path, str) or not osp.isabs(path):
        return path
    full = osp.normpath(path)
    if full == REPO_ROOT or full.startswith(REPO_ROOT + os.sep):
        return osp.relpath(full, REPO_ROOT)
    return path


def _git() -> dict:
    """The commit of the checkout and whether tracked files differ from
    it; ``None`` values outside a git checkout."""
    def run(*args):
        return subprocess.run(['git', '-C', REPO_ROOT, *args],
                              capture_output=True, text=True, timeout=30)
    try:
        head = run('rev-parse', 'HEAD')
        if head.returncode != 0:
            return dict(commit=None, dirty=None)
        status = run('status', '--porcelain', '--untracked-files=no')
        return dict(commit=head.stdout.strip(),
                    dirty=bool(status.stdout.strip()))
    except (OSError, subprocess.SubprocessError):
        return dict(commit=None, dirty=None)


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version
    out = dict(python=platform.python_version())
    for name in _PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def run_record(tool: str, argv: Optional[Sequence[str]] = None,
               settings: Optional[dict] = None,
               results: Optional[dict] = None) -> dict:
    """The record of one run of ``tool``.

    Args:
        tool (str): the tool's file (``__file__``); written relative to the
            repository.
        argv (Sequence[str], optional): the tool's arguments (default
            ``sys.argv[1:]``).
        settings (dict, optional): what the run used (config, checkpoint,
            options).
        results (dict, optional): the figures.

    Returns:
        dict: ``tool``, ``command``, ``cwd`` (the working directory, ``.``
        for the repository root), ``date`` (UTC, ISO 8601), ``git``
        (``commit``, ``dirty``), ``versions``, ``settings``, ``results``.
    """
    tool = repo_relative(osp.abspath(tool))
    argv = list(sys.argv[1:] if argv is None else argv)
    return dict(
        tool=tool,
        command=shlex.join(['python', tool] + [repo_relative(a)
                                                for a in map(str, argv)]),
        cwd=repo_relative(os.getcwd()),
        date=datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec='seconds'),
        git=_git(), versions=_versions(), settings=settings or {},
        results=results or {})


def _plain(obj):
    """numpy scalars and arrays as Python numbers and lists."""
    if hasattr(obj, 'tolist'):
        return obj.tolist()
    raise TypeError(f'write_record: {type(obj).__name__} is not JSON')


def write_record(path: str, record: dict) -> None:
    """Write ``record`` as indented JSON (numpy values as numbers and lists;
    atomically: a temporary file renamed over ``path``)."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(record, f, indent=1, default=_plain)
        f.write('\n')
    os.replace(tmp, path)
