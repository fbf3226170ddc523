"""Print the demo's result: the trained model against the untrained one.

    python tools/misc/print_demo_summary.py UNTRAINED.json TRAINED.json
        [--checkpoint CKPT] [--out-dir DIR]

The json files are what ``tools/test.py --out`` wrote (FaceAlignmentMetric
keys: NME, FR@0.1, AUC@0.1 and <subset>/... as fractions).
"""
import argparse
import glob
import json
import os.path as osp


def row(name, metrics, prefix=''):
    nme = metrics.get(f'{prefix}NME', float('nan'))
    fr = metrics.get(f'{prefix}FR@0.1', float('nan'))
    auc = metrics.get(f'{prefix}AUC@0.1', float('nan'))
    return f'{name:<24}{100 * nme:>9.2f}{100 * fr:>10.2f}{auc:>10.4f}'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('untrained')
    parser.add_argument('trained')
    parser.add_argument('--checkpoint')
    parser.add_argument('--out-dir')
    args = parser.parse_args(argv)
    with open(args.untrained) as f:
        untrained = json.load(f)
    with open(args.trained) as f:
        trained = json.load(f)
    subsets = sorted({k.split('/')[0] for k in trained if '/' in k})
    print('\n' + '=' * 54)
    print('awing-mmpose demo: synthetic WFLW-layout test split, '
          'inter-ocular NME')
    print(f'{"":<24}{"NME %":>9}{"FR@0.1 %":>10}{"AUC@0.1":>10}')
    print(row('untrained network', untrained))
    print(row('trained (full set)', trained))
    for name in subsets:
        print(row(f'  trained, {name}', trained, f'{name}/'))
    print('=' * 54)
    if args.checkpoint:
        print(f'checkpoint: {args.checkpoint}')
    if args.out_dir:
        for path in sorted(glob.glob(osp.join(args.out_dir, '**', '*.*'),
                                     recursive=True))[:12]:
            print(f'output: {path}')


if __name__ == '__main__':
    main()
