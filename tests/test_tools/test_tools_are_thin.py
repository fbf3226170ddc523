"""The tools are command lines over the installed package: no file under
``tools/`` changes the module search path (``sys.path``, ``site``), so
library code cannot hide in ``tools/`` and be imported from there."""
import ast
import glob
import os.path as osp
from typing import List

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

#: list methods that change ``sys.path`` in place
_MUTATORS = {'insert', 'append', 'extend', 'remove', 'pop', 'clear',
             'reverse', 'sort', '__setitem__', '__delitem__', '__iadd__'}


class _SearchPathChanges(ast.NodeVisitor):
    """Collects ``(line, what)`` for each change of the module search path:
    a call of a ``sys.path`` mutator, an assignment to ``sys.path`` (or an
    item or slice of it, ``+=`` included), a ``del`` of its items, and any
    use of ``site.addsitedir``. Follows ``import sys as s``,
    ``from sys import path`` and ``p = sys.path`` within the file."""

    def __init__(self):
        self.found = []
        self.sys_names = {'sys'}
        self.site_names = {'site'}
        self.path_names = set()      # names bound to sys.path
        self.addsitedir_names = set()

    # -- what names refer to -------------------------------------------
    @staticmethod
    def _refers_to(node, modules, attr: str, aliases) -> bool:
        """Whether ``node`` is ``<module>.<attr>`` (``module`` one of the
        names of the module) or a name in ``aliases`` bound to it."""
        if isinstance(node, ast.Name):
            return node.id in aliases
        return (isinstance(node, ast.Attribute) and node.attr == attr
                and isinstance(node.value, ast.Name)
                and node.value.id in modules)

    def _is_sys_path(self, node) -> bool:
        return self._refers_to(node, self.sys_names, 'path', self.path_names)

    def _is_addsitedir(self, node) -> bool:
        return self._refers_to(node, self.site_names, 'addsitedir',
                               self.addsitedir_names)

    def _target_is_sys_path(self, target) -> bool:
        while isinstance(target, ast.Subscript):
            target = target.value
        return self._is_sys_path(target)

    # -- bindings --------------------------------------------------------
    def visit_Import(self, node):
        for alias in node.names:
            if alias.name == 'sys':
                self.sys_names.add(alias.asname or 'sys')
            elif alias.name == 'site':
                self.site_names.add(alias.asname or 'site')
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        for alias in node.names:
            if node.module == 'sys' and alias.name == 'path':
                self.path_names.add(alias.asname or 'path')
            elif node.module == 'site' and alias.name == 'addsitedir':
                self.addsitedir_names.add(alias.asname or 'addsitedir')
                self.found.append((node.lineno, 'imports site.addsitedir'))
        self.generic_visit(node)

    # -- changes ---------------------------------------------------------
    def visit_Assign(self, node):
        for target in node.targets:
            if self._target_is_sys_path(target):
                self.found.append((node.lineno, 'assigns to sys.path'))
            elif isinstance(target, ast.Name) and self._is_sys_path(
                    node.value):
                self.path_names.add(target.id)
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        if self._target_is_sys_path(node.target):
            self.found.append((node.lineno, 'changes sys.path in place'))
        self.generic_visit(node)

    def visit_Delete(self, node):
        if any(self._target_is_sys_path(t) for t in node.targets):
            self.found.append((node.lineno, 'deletes from sys.path'))
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr in _MUTATORS
                and self._is_sys_path(func.value)):
            self.found.append((node.lineno, f'calls sys.path.{func.attr}'))
        elif self._is_addsitedir(func):
            self.found.append((node.lineno, 'calls site.addsitedir'))
        self.generic_visit(node)


def search_path_changes(source: str, filename: str = '<source>'
                        ) -> List[str]:
    """``'FILE:LINE: what'`` for each change of the module search path in
    the Python ``source``."""
    visitor = _SearchPathChanges()
    visitor.visit(ast.parse(source, filename))
    return [f'{filename}:{line}: {what}'
            for line, what in sorted(visitor.found)]


def tool_files() -> List[str]:
    return sorted(glob.glob(osp.join(ROOT, 'tools', '**', '*.py'),
                            recursive=True))


def test_there_are_tools_to_check():
    names = {osp.relpath(p, ROOT) for p in tool_files()}
    assert {'tools/demo.py', 'tools/deployment/export_onnx.py',
            'tools/deployment/onnx_runner.py'} <= names


def test_no_tool_changes_sys_path():
    hits = []
    for path in tool_files():
        with open(path, encoding='utf-8') as f:
            hits += search_path_changes(f.read(), osp.relpath(path, ROOT))
    assert not hits, ('tools must import the installed package, not change '
                      'the module search path:\n' + '\n'.join(hits))


@pytest.mark.parametrize('source, what', [
    ('import sys\nsys.path.insert(0, "x")', 'calls sys.path.insert'),
    ('import sys\nsys.path.append("x")', 'calls sys.path.append'),
    ('import sys\nsys.path.extend(["x"])', 'calls sys.path.extend'),
    ('import sys\nsys.path = ["x"] + sys.path', 'assigns to sys.path'),
    ('import sys\nsys.path[:0] = ["x"]', 'assigns to sys.path'),
    ('import sys\nsys.path += ["x"]', 'changes sys.path in place'),
    ('import sys as s\ns.path.insert(0, "x")', 'calls sys.path.insert'),
    ('from sys import path\npath.insert(0, "x")', 'calls sys.path.insert'),
    ('import sys\np = sys.path\np.append("x")', 'calls sys.path.append'),
    ('def f():\n    import sys\n    sys.path.insert(0, "x")',
     'calls sys.path.insert'),
    ('import site\nsite.addsitedir("x")', 'calls site.addsitedir'),
    ('from site import addsitedir', 'imports site.addsitedir'),
])
def test_each_kind_of_change_is_found(source, what):
    hits = search_path_changes(source, 'tools/x.py')
    assert hits and hits[0].startswith('tools/x.py:') and what in hits[0], \
        hits


def test_reading_sys_path_is_allowed():
    assert search_path_changes(
        'import sys, os\nprint(sys.path[0], list(sys.path))\n'
        'os.path.join("a", "b")\nx = [1]\nx.insert(0, 2)') == []
