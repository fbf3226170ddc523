"""WFLW list_98pt_rect_attr_{train,test}.txt -> MMPose COCO-style json.

Example::

    python tools/dataset_converters/wflw2coco.py \
        --ann-dir data/wflw/WFLW_annotations \
        --img-dir data/wflw/WFLW_images --out-dir data/wflw/annotations \
        --enlarge 0.1
"""
import argparse
import sys


def parse_args(argv=None):
    from awing_mmpose.datasets.converters.common import add_common_args

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--ann-dir', required=True,
                   help='folder with list_98pt_rect_attr_{train,test}.txt '
                   '(or its list_98pt_rect_attr_train_test/ sub-folder)')
    p.add_argument('--img-dir', required=True,
                   help='WFLW_images folder (use it as data_prefix img)')
    p.add_argument('--out-dir', required=True, help='where the json go')
    add_common_args(p, 'each box')
    return p.parse_args(argv)


def main(argv=None) -> int:
    from awing_mmpose.datasets.converters.common import run_cli
    from awing_mmpose.datasets.converters.wflw import convert_wflw
    args = parse_args(argv)
    return run_cli(
        lambda a: convert_wflw(a.ann_dir, a.img_dir, a.out_dir, a.enlarge,
                               a.skip_invalid, not a.no_progress), args)


if __name__ == '__main__':
    sys.exit(main())
