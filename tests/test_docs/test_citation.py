"""The licence and the citation: LICENSE is the Apache License 2.0 with
this project's copyright, setup.py declares it, CITATION.cff cites the
software and prefers the ICCV 2019 paper, and the README carries the paper's
bibtex."""
import ast
import os.path as osp
import re

import yaml

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _read(*parts):
    with open(osp.join(ROOT, *parts), encoding='utf-8') as f:
        return f.read()


def _setup_kwargs():
    tree = ast.parse(_read('setup.py'))
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call)
                and getattr(n.func, 'id', None) == 'setup')
    return {k.arg: k.value for k in call.keywords}


def test_licence_is_apache_2_and_declared():
    text = _read('LICENSE')
    assert text.lstrip().startswith('Apache License')
    assert 'Version 2.0, January 2004' in text
    assert 'END OF TERMS AND CONDITIONS' in text
    assert 'Copyright 2026 awing-mmpose contributors' in text
    kw = _setup_kwargs()
    assert ast.literal_eval(kw['license']) == 'Apache-2.0'
    assert ast.literal_eval(kw['license_files']) == ['LICENSE']
    assert 'long_description' in kw


def test_citation_file_prefers_the_paper():
    cff = yaml.safe_load(_read('CITATION.cff'))
    assert cff['cff-version'] == '1.2.0'
    assert cff['license'] == 'Apache-2.0'
    assert cff['type'] == 'software' and cff['authors']
    paper = cff['preferred-citation']
    assert paper['type'] == 'conference-paper'
    assert paper['title'] == ('Adaptive Wing Loss for Robust Face Alignment '
                              'via Heatmap Regression')
    assert [a['given-names'] for a in paper['authors']] == [
        'Xinyao', 'Liefeng', 'Li']
    assert (paper['year'], paper['start'], paper['end']) == (2019, 6971, 6981)
    assert 'ICCV' in paper['collection-title']


def test_readme_has_the_papers_bibtex():
    readme = _read('README.md')
    block = re.search(r'```bibtex\n(.*?)```', readme, re.S)
    assert block, 'no bibtex block in README.md'
    bib = block.group(1)
    assert bib.startswith('@inproceedings{')
    for field in ('Adaptive Wing Loss for Robust Face Alignment via Heatmap '
                  'Regression', 'Wang, Xinyao', 'Bo, Liefeng', 'ICCV',
                  '6971--6981', '2019'):
        assert field in bib, field
