"""The two tiers of tools/run_tests.sh: ``--quick`` runs ``-m "not slow"``.
The marker is registered and strict, the end-to-end modules and every test
that starts a Python interpreter are marked ``slow``, and the quick tier
keeps most of the suite. Static checks (ast) and the running session: no
subprocess."""
import ast
import glob
import os.path as osp

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TESTS = osp.join(ROOT, 'tests')
#: the quick tier had 458 tests when this was written; it may only grow
MIN_QUICK_TESTS = 430


def is_slow_mark(node) -> bool:
    """``pytest.mark.slow``, or a list / tuple holding it."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(is_slow_mark(n) for n in node.elts)
    return ast.unparse(node) == 'pytest.mark.slow'


def module_is_slow(tree: ast.Module) -> bool:
    return any(
        isinstance(n, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == 'pytestmark'
            for t in n.targets) and is_slow_mark(n.value)
        for n in tree.body)


def starts_python(func, functions, seen=None) -> bool:
    """Whether ``func`` (a function of the module, a test or a fixture)
    uses the ``run_tool`` fixture or ``sys.executable``, itself or through
    the module's functions and fixtures it calls or takes as arguments."""
    seen = set() if seen is None else seen
    seen.add(func.name)
    names = {a.arg for a in func.args.args}
    for node in ast.walk(func):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif (isinstance(node, ast.Attribute) and node.attr == 'executable'
              and ast.unparse(node.value) == 'sys'):
            return True
    if 'run_tool' in names:
        return True
    return any(
        starts_python(functions[n], functions, seen)
        for n in names if n in functions and n not in seen)


def unmarked_tests(path):
    """(test name, starts a Python interpreter) of the tests of ``path``
    that are not marked slow."""
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    if module_is_slow(tree):
        return []
    functions = {
        n.name: n
        for n in tree.body
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    tests = [(n, functions) for n in functions.values()
             if n.name.startswith('test')]
    for cls in tree.body:
        if (isinstance(cls, ast.ClassDef) and cls.name.startswith('Test')
                and not any(is_slow_mark(d) for d in cls.decorator_list)):
            tests += [(n, functions) for n in cls.body
                      if isinstance(n, ast.FunctionDef)
                      and n.name.startswith('test')]
    return [(n.name, starts_python(n, functions)) for n, functions in tests
            if not any(is_slow_mark(d) for d in n.decorator_list)]


def source_files():
    return sorted(glob.glob(osp.join(TESTS, '**', 'test_*.py'),
                            recursive=True))


def test_slow_marker_is_registered_and_strict(pytestconfig):
    markers = pytestconfig.getini('markers')
    assert any(m.startswith('slow:') for m in markers), markers
    # a misspelt marker is an error, not a test silently in the other tier
    assert pytestconfig.option.strict_markers


def test_end_to_end_modules_are_slow():
    paths = glob.glob(osp.join(TESTS, 'test_e2e', 'test_*.py'))
    assert paths
    for path in paths:
        with open(path) as f:
            tree = ast.parse(f.read(), path)
        assert module_is_slow(tree), (
            f'{path}: an end-to-end module needs '
            '`pytestmark = pytest.mark.slow`')


def test_tests_that_start_python_are_slow():
    starters = [(osp.relpath(p, ROOT), name)
                for p in source_files()
                for name, starts in unmarked_tests(p) if starts]
    assert not starters, (
        'these tests run a tool or another interpreter (run_tool, '
        'sys.executable) but are not marked @pytest.mark.slow: '
        f'{starters}')


def test_the_check_finds_unmarked_starters(tmp_path):
    path = tmp_path / 'test_x.py'
    path.write_text(
        'import subprocess, sys\nimport pytest\n\n'
        'def _python(code):\n'
        '    return subprocess.run([sys.executable, "-c", code])\n\n'
        '@pytest.fixture\ndef fresh():\n    return _python("1")\n\n'
        'def test_direct():\n    _python("1")\n\n'
        'def test_fixture(fresh):\n    pass\n\n'
        'def test_tool(run_tool):\n    run_tool("tools/x.py")\n\n'
        'def test_plain():\n    assert True\n\n'
        '@pytest.mark.slow\ndef test_marked():\n    _python("1")\n\n'
        'class TestGroup:\n    def test_in_class(self, fresh):\n'
        '        pass\n')
    assert unmarked_tests(str(path)) == [
        ('test_direct', True), ('test_fixture', True), ('test_tool', True),
        ('test_plain', False), ('test_in_class', True)]
    path.write_text('import pytest\n\npytestmark = [pytest.mark.slow]\n\n'
                    'def test_tool(run_tool):\n    run_tool("x")\n')
    assert unmarked_tests(str(path)) == []


def test_quick_tier_keeps_most_tests(request):
    """Counted on this session's tests when it collected the whole suite
    (``bash tools/run_tests.sh`` with or without ``--quick``)."""
    config = request.config
    whole = ([osp.abspath(a) for a in config.args] == [TESTS]
             and not config.option.keyword and not config.option.deselect
             and config.option.markexpr in ('', 'not slow'))
    if not whole:
        pytest.skip('counts the tiers of a session of the whole suite')
    items = request.session.items
    quick = [i for i in items if i.get_closest_marker('slow') is None]
    assert len(quick) >= MIN_QUICK_TESTS, (
        f'only {len(quick)} of {len(items)} tests are in the quick tier')
