"""COFW_{train,test}_color.mat (MATLAB v7.3) -> PNG images + MMPose
COCO-style json.

Example::

    python tools/dataset_converters/cofw2coco.py \
        --mat-dir data/cofw/raw --out-dir data/cofw
    # then data_prefix=dict(img='data/cofw/images/'),
    #      ann_file='cofw_train.json' / 'cofw_test.json'
"""
import argparse
import sys


def parse_args(argv=None):
    from awing_mmpose.datasets.converters.common import add_common_args

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--mat-dir', default='.',
                   help='folder with COFW_train_color.mat and '
                   'COFW_test_color.mat')
    p.add_argument('--train-mat', help='override the train .mat path')
    p.add_argument('--test-mat', help='override the test .mat path')
    p.add_argument('--out-dir', required=True,
                   help='writes images/{train,test}/NNNNNN.png and '
                   'cofw_{train,test}.json here')
    add_common_args(p, 'each box')
    return p.parse_args(argv)


def main(argv=None) -> int:
    from awing_mmpose.datasets.converters.cofw import convert_cofw
    from awing_mmpose.datasets.converters.common import run_cli
    args = parse_args(argv)
    return run_cli(
        lambda a: convert_cofw(a.mat_dir, a.out_dir, a.enlarge,
                               a.skip_invalid, not a.no_progress,
                               a.train_mat, a.test_mat), args)


if __name__ == '__main__':
    sys.exit(main())
