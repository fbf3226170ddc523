"""The repository is self-contained: no file refers to a path outside it,
and errors do not start with source paths."""
import os.path as osp
import subprocess

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# split so that this file does not match itself
FORBIDDEN = ('METHOD' + '.md', 'STACK' + '.md', '../' + 'shared',
             '/work' + '/')


def _tracked_text_files():
    try:
        out = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard'],
                             cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip('not a git checkout')
    for rel in out.splitlines():
        path = osp.join(ROOT, rel)
        if not osp.isfile(path) or rel.endswith(('.png', '.jpg', '.pth')):
            continue
        try:
            with open(path, encoding='utf-8') as f:
                yield rel, f.read()
        except UnicodeDecodeError:
            continue


def test_no_reference_outside_the_repository():
    hits = [f'{rel}: {word}' for rel, text in _tracked_text_files()
            for word in FORBIDDEN if word in text]
    assert not hits, 'references outside the repository:\n' + '\n'.join(hits)


def test_method_doc_exists():
    with open(osp.join(ROOT, 'docs', 'method.md'), encoding='utf-8') as f:
        text = f.read()
    for fact in ('α = 2.1', 'ω = 14', 'ε = 1', 'θ = 0.5', 'W = 10',
                 '4 i + 2', '4.36', '8.4959'):
        assert fact in text, fact
