"""Write the deterministic synthetic face data set (WFLW + 300W layouts).

Example::

    .venv/bin/python tools/misc/generate_synthetic_faces.py \
        --out-dir data/synthetic --num-train 2000 --num-val 200 \
        --num-test 500 --seed 0
"""
import argparse
import json

from awing_mmpose.synthetic import generate_synthetic_wflw


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out-dir', required=True, help='output root')
    p.add_argument('--num-train', type=int, default=1000)
    p.add_argument('--num-test', type=int, default=300)
    p.add_argument('--num-val', type=int, default=0,
                   help='validation faces (for model selection)')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--image-size', type=int, default=256)
    p.add_argument('--no-300w', action='store_true',
                   help='do not write the 68-point 300W copy')
    p.add_argument('--photo-backgrounds', type=float, default=0.0,
                   help='fraction of faces in front of a photograph '
                   '(scikit-image sample photos) instead of drawn clutter')
    p.add_argument('--open-heads', type=float, default=0.0,
                   help='fraction of faces with an open head (skin temples '
                   'and neck, soft face edge, skin grain) instead of a face '
                   'framed by hair')
    p.add_argument('--eyeglasses', type=float, default=0.0,
                   help='fraction of faces that wear clear glasses (rims, '
                   'bridge, arms, tinted lenses with a glare)')
    p.add_argument('--relief', type=float, default=0.0,
                   help='fraction of faces with nasolabial folds, '
                   'cheekbones and creases drawn inside the face')
    p.add_argument('--facial-hair', type=float, default=0.0,
                   help='fraction of faces with stubble, a moustache, a '
                   'goatee or a full beard')
    p.add_argument('--workers', type=int, default=1,
                   help='processes (output does not depend on it)')
    p.add_argument('--json', action='store_true',
                   help='print the summary as json')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    s = generate_synthetic_wflw(
        args.out_dir, num_train=args.num_train, num_test=args.num_test,
        seed=args.seed, image_size=args.image_size, num_val=args.num_val,
        with_300w=not args.no_300w, workers=args.workers,
        photo_backgrounds=args.photo_backgrounds,
        open_heads=args.open_heads, eyeglasses=args.eyeglasses,
        relief=args.relief, facial_hair=args.facial_hair)
    if args.json:
        print(json.dumps(s, indent=2))
        return s
    n = s['num_train'] + s['num_test'] + s['num_val']
    print(f"wrote {s['num_train']} train + {s['num_val']} val + "
          f"{s['num_test']} test faces "
          f"({s['image_size']}x{s['image_size']}, seed {s['seed']}) to "
          f"{s['paths']['out_dir']} in {s['seconds']:.1f} s "
          f"({1000 * s['seconds'] / max(n, 1):.1f} ms/face)")
    for split in ('train', 'val', 'test'):
        if split == 'val' and not s['num_val']:
            continue
        c = s['attribute_counts'][split]
        print(f'  {split:5s} attributes: ' +
              ', '.join(f'{k} {v}' for k, v in c.items()))
    if '300w_counts' in s:
        c = s['300w_counts']
        print(f"  300W: train {c['train']}, common {c['common']}, "
              f"challenge {c['challenge']} ({s['paths']['300w']})")
    lists = [v for k, v in s['paths'].items() if k.endswith('_list')]
    print('  WFLW lists: ' + '\n              '.join(lists))
    return s


if __name__ == '__main__':
    main()
