"""The boundary of the synthetic face generator (see the docstring of
``awing_mmpose/synthetic/__init__.py``): it imports only
``awing_mmpose.datasets`` of the package, and the data, evaluation, codec,
model and inference code never import it."""
import ast
import glob
import os.path as osp

import pytest

PACKAGE = osp.join(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))), 'awing_mmpose')
NEVER_IMPORT_IT = ('datasets', 'evaluation', 'codecs', 'models', 'apis')


def _module_name(path):
    rel = osp.relpath(path, osp.dirname(PACKAGE))[:-len('.py')]
    parts = rel.split(osp.sep)
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def _imports(path):
    """Absolute names of the modules that ``path`` imports (relative
    imports resolved; ``from x import y`` gives ``x`` and ``x.y``)."""
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read(), path)
    package = _module_name(path)
    if not path.endswith('__init__.py'):
        package = package.rpartition('.')[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                parent = package.split('.')
                parent = parent[:len(parent) - node.level + 1]
                base = '.'.join(parent + ([base] if base else []))
            names.append(base)
            names += [f'{base}.{a.name}' for a in node.names]
    return names


def _is_synthetic(name):
    return name == 'awing_mmpose.synthetic' or name.startswith(
        'awing_mmpose.synthetic.')


def _files(subpackage):
    files = glob.glob(osp.join(PACKAGE, subpackage, '**', '*.py'),
                      recursive=True)
    assert files, subpackage
    return sorted(files)


def test_import_resolution():
    """The scanner resolves relative imports (else the tests below could not
    fail)."""
    path = osp.join(PACKAGE, 'synthetic', 'generator.py')
    names = _imports(path)
    assert 'awing_mmpose.synthetic.renderer' in names
    assert 'awing_mmpose.datasets.landmark_layouts' in names
    init = osp.join(PACKAGE, 'synthetic', '__init__.py')
    assert 'awing_mmpose.synthetic.generator' in _imports(init)


@pytest.mark.parametrize('subpackage', NEVER_IMPORT_IT)
def test_subpackage_never_imports_the_generator(subpackage):
    hits = [f'{osp.relpath(p, PACKAGE)}: {n}' for p in _files(subpackage)
            for n in _imports(p) if _is_synthetic(n)]
    assert not hits, hits


def test_generator_imports_only_the_datasets_side():
    hits = [f'{osp.relpath(p, PACKAGE)}: {n}' for p in _files('synthetic')
            for n in _imports(p) if n.startswith('awing_mmpose')
            and not _is_synthetic(n) and n != 'awing_mmpose.datasets'
            and not n.startswith('awing_mmpose.datasets.')]
    assert not hits, hits
