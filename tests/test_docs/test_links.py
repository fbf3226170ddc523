"""Every relative link and image in README.md and docs/**/*.md resolves: the
file (or folder) exists inside the repository and, for ``page.md#anchor``
and ``#anchor``, the page has that heading. External links (``http(s):``,
``mailto:`` ...) are not fetched. Links inside code blocks, code spans and
HTML comments are not links."""
import glob
import os.path as osp
import re
from typing import Dict, List, Set
from urllib.parse import unquote

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

_FENCE = re.compile(r'^ {0,3}(```|~~~)')
_COMMENT = re.compile(r'<!--.*?-->', re.S)
_CODE_SPAN = re.compile(r'(`+)(?!`).*?(?<!`)\1(?!`)', re.S)
# [text](target "title") and ![alt](target); the text may hold one level of
# brackets (e.g. an image inside a link)
_INLINE = re.compile(
    r'!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)'
    r'(?:\s+(?:"[^"]*"|\'[^\']*\'))?\s*\)')
_REFERENCE = re.compile(r'^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)', re.M)
_HTML = re.compile(r'<(?:img|a|source)\b[^>]*?\b(?:src|href)\s*=\s*'
                   r'["\']([^"\']+)["\']', re.I)
_HEADING = re.compile(r'^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$')
_SCHEME = re.compile(r'^[a-zA-Z][a-zA-Z0-9+.-]*:')


def _prose(text: str) -> str:
    """``text`` without fenced code blocks, HTML comments and code spans."""
    lines, fenced = [], None
    for line in text.split('\n'):
        m = _FENCE.match(line)
        if fenced:
            if m and line.strip().startswith(fenced):
                fenced = None
            lines.append('')
        elif m:
            fenced = m.group(1)
            lines.append('')
        else:
            lines.append(line)
    text = _COMMENT.sub('', '\n'.join(lines))
    return _CODE_SPAN.sub('', text)


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: the rendered text, lower case,
    punctuation dropped (word characters, hyphens and spaces stay), spaces
    turned into hyphens."""
    text = re.sub(r'!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^)]*\)', r'\1',
                  heading)
    text = re.sub(r'<[^>]+>', '', text).replace('`', '').replace('*', '')
    text = re.sub(r'[^\w\- ]', '', text.strip().lower())
    return text.replace(' ', '-')


def anchors(path: str) -> Set[str]:
    """The anchors of the headings of a markdown file (repeated headings get
    ``-1``, ``-2`` ... as on GitHub)."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    seen: Dict[str, int] = {}
    out = set()
    fenced = None
    for line in text.split('\n'):
        m = _FENCE.match(line)
        if fenced:
            if m and line.strip().startswith(fenced):
                fenced = None
            continue
        if m:
            fenced = m.group(1)
            continue
        h = _HEADING.match(line)
        if not h:
            continue
        base = slug(h.group(2))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f'{base}-{n}')
    return out


def links(text: str) -> List[str]:
    """Targets of the links and images of a markdown text."""
    prose = _prose(text)
    found = [m.group(1) for m in _INLINE.finditer(prose)]
    found += [m.group(1) for m in _REFERENCE.finditer(prose)]
    found += [m.group(1) for m in _HTML.finditer(prose)]
    return [t[1:-1] if t.startswith('<') else t for t in found]


def broken_links(path: str, root: str = ROOT) -> List[str]:
    """``'<file>: <target>: <problem>'`` for each relative link or image of
    the markdown file ``path`` that does not resolve inside ``root``."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    rel = osp.relpath(path, root)
    problems = []
    for target in links(text):
        if _SCHEME.match(target):
            continue  # external: not fetched
        file_part, _, anchor = target.partition('#')
        file_part = unquote(file_part.split('?')[0])
        if not file_part:
            dest = path
        elif file_part.startswith('/'):
            dest = osp.join(root, file_part.lstrip('/'))
        else:
            dest = osp.join(osp.dirname(path), file_part)
        dest = osp.normpath(dest)
        inside = osp.relpath(dest, osp.normpath(root))
        if inside == '..' or inside.startswith('..' + osp.sep):
            problems.append(f'{rel}: {target}: outside the repository')
        elif not osp.exists(dest):
            problems.append(f'{rel}: {target}: no such file')
        elif anchor and dest.endswith('.md') and osp.isfile(dest):
            if unquote(anchor).lower() not in anchors(dest):
                problems.append(f'{rel}: {target}: no heading #{anchor} in '
                                f'{osp.relpath(dest, root)}')
    return problems


def markdown_files(root: str = ROOT) -> List[str]:
    files = [osp.join(root, 'README.md')]
    files += sorted(glob.glob(osp.join(root, 'docs', '**', '*.md'),
                              recursive=True))
    return [f for f in files if osp.isfile(f)]


def test_every_relative_link_and_image_resolves():
    files = markdown_files()
    assert osp.join(ROOT, 'README.md') in files
    assert osp.join(ROOT, 'docs', 'README.md') in files  # the index
    problems = [p for f in files for p in broken_links(f)]
    assert not problems, 'broken links:\n' + '\n'.join(problems)


def test_the_check_finds_broken_links(tmp_path):
    (tmp_path / 'docs').mkdir()
    (tmp_path / 'docs' / 'pic.png').write_bytes(b'png')
    (tmp_path / 'docs' / 'page.md').write_text(
        '# A page\n\n## Some `code` here, too!\n\ntext\n')
    (tmp_path / 'README.md').write_text('\n'.join([
        '# Title',
        '[good](docs/page.md) [good anchor](docs/page.md#some-code-here-too)',
        '![good image](docs/pic.png) [self](#title) [folder](docs/)',
        '[external](https://example.org/nothing-here) <!-- [c](gone.md) -->',
        '`[code span](gone.md)`',
        '```',
        '[in a code block](gone.md)',
        '```',
        '[missing](docs/missing.md) ![missing image](docs/nope.png)',
        '[bad anchor](docs/page.md#no-such-heading) [bad self](#nothing)',
        '[escape](../outside.md)',
        '[ref]: docs/also_missing.md',
        '<img src="docs/gone.png">',
    ]) + '\n')
    problems = broken_links(str(tmp_path / 'README.md'), str(tmp_path))
    assert [p.split(': ')[1] for p in problems] == [
        'docs/missing.md', 'docs/nope.png', 'docs/page.md#no-such-heading',
        '#nothing', '../outside.md', 'docs/also_missing.md', 'docs/gone.png']
    assert 'no such file' in problems[0]
    assert 'no heading #no-such-heading in docs/page.md' in problems[2]
    assert 'outside the repository' in problems[4]


def test_heading_anchors_follow_github():
    assert slug('Checkpoint loading and security') == \
        'checkpoint-loading-and-security'
    assert slug('Bad data, NaN losses, crashes') == \
        'bad-data-nan-losses-crashes'
    assert slug('`awing_mmpose.deployment`: ONNX') == \
        'awing_mmposedeployment-onnx'
    assert slug('[Linked](x.md) heading') == 'linked-heading'
