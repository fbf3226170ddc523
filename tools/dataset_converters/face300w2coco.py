"""300W .pts folders -> MMPose COCO-style json.

Example::

    python tools/dataset_converters/face300w2coco.py \
        --root data/300w/images --out-dir data/300w/annotations
"""
import argparse
import sys


def parse_args(argv=None):
    from awing_mmpose.datasets.converters.common import add_common_args

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--root', required=True,
                   help='folder holding afw/, helen/, lfpw/, ibug/ and '
                   'optionally 300W/ (or 300W_test/); use it as data_prefix '
                   'img')
    p.add_argument('--out-dir', required=True, help='where the json go')
    add_common_args(p, 'the tight landmark box')
    return p.parse_args(argv)


def main(argv=None) -> int:
    from awing_mmpose.datasets.converters.common import run_cli
    from awing_mmpose.datasets.converters.face300w import convert_300w
    args = parse_args(argv)
    return run_cli(
        lambda a: convert_300w(a.root, a.out_dir, a.enlarge, a.skip_invalid,
                               not a.no_progress), args)


if __name__ == '__main__':
    sys.exit(main())
