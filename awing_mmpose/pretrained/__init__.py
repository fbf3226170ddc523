"""The pretrained model that ships inside the package.

``synthetic_wflw``: the full method (AWing x Weighted Loss Map, boundary
channel, CoordConv with boundary coordinates) at CPU size, 98 WFLW points,
trained **only on synthetic faces** by ``tools/train_pretrained.sh``
(``configs/pretrained/awing_synthetic_wflw.py``). The files beside this
module are its config (self-contained, as the Runner dumped it) and its
weights (``state_dict`` only, readable by ``torch.load(weights_only=True)``
without any allow-list).

``tools/demo.py`` and :class:`~awing_mmpose.apis.FaceLandmarkInferencer`
use it when no model is named. Configs name its weights as
``load_from = 'awing://synthetic_wflw'``; the scheme is understood inside
:func:`awing_mmpose.utils.checkpoint_loading` (``tools/train.py``,
``tools/test.py``, ``tools/demo.py`` and the inferencer load through it).
"""
import os.path as osp
from typing import Dict, Tuple

#: prefix of a pretrained checkpoint name in ``load_from`` / ``--checkpoint``
SCHEME = 'awing://'
#: the model used when none is named
DEFAULT_MODEL = 'synthetic_wflw'
#: name -> (config file, checkpoint file), both beside this module
PRETRAINED_MODELS: Dict[str, Tuple[str, str]] = {
    'synthetic_wflw': ('awing_synthetic_wflw.py',
                       'awing_synthetic_wflw_128px.pth'),
}

#: name -> licence facts that ``tools/misc/publish_checkpoint.py`` writes
#: into the model card: the licence of the weights and those of the images
#: they were trained from. The photographs are the backgrounds and occluders
#: of the synthetic faces (``PhotoBank``'s default photos, read from the
#: installed scikit-image 0.26.0 wheel); each licence is quoted from the
#: photo's docstring in ``skimage/data/_fetchers.py``, or, where that states
#: none, from the wheel's licence file.
MODEL_LICENSES: Dict[str, dict] = {
    'synthetic_wflw': dict(
        license='Apache-2.0',
        license_note='the weights are released under the licence of the '
        'code (LICENSE at the repository root)',
        training_images=dict(
            faces='synthetic faces drawn by this project\'s generator '
            '(tools/misc/generate_synthetic_faces.py, Apache-2.0); no real '
            'face and no face from a data set',
            photographs_source='scikit-image 0.26.0 sample data '
            '(skimage/data), used as backgrounds and occluders; photos '
            'that show a person are never used',
            photographs={
                'brick.png': 'CC0 (CC0Textures)',
                'chelsea.png': 'CC0 (photographer Stefan van der Walt)',
                'clock_motion.png': 'public domain (released by the '
                'photographer, Stefan van der Walt)',
                'coffee.png': 'CC0 (photographer Rachel Michetti)',
                'coins.png': 'no known copyright restrictions (Brooklyn '
                'Museum Collection)',
                'grass.png': 'CC0 (DeviantArt, linolafett)',
                'gravel.png': 'CC0 (CC0Textures)',
                'hubble_deep_field.jpg': 'public domain (NASA, HubbleSite)',
                'ihc.png': 'no known copyright restrictions (Center for '
                'Microscopy And Molecular Imaging)',
                'moon.png': 'no licence stated in its docstring; covered by '
                'the wheel\'s licence file (Files: *, BSD-3-Clause, the '
                'scikit-image team)',
                'retina.jpg': 'CC0 1.0 (Wikimedia Commons, Mikael '
                'Häggström)',
                'rocket.jpg': 'public domain (SpaceX)',
            }),
    ),
}

_HERE = osp.dirname(osp.abspath(__file__))


def pretrained_files(name: str = DEFAULT_MODEL) -> Tuple[str, str]:
    """``(config path, checkpoint path)`` of a shipped model; raises
    ``KeyError`` for an unknown name and ``FileNotFoundError`` when the
    installed package lacks the files."""
    if name.startswith(SCHEME):
        name = name[len(SCHEME):]
    if name not in PRETRAINED_MODELS:
        raise KeyError(f'unknown pretrained model {name!r}; shipped: '
                       f'{sorted(PRETRAINED_MODELS)}')
    paths = tuple(osp.join(_HERE, f) for f in PRETRAINED_MODELS[name])
    for p in paths:
        if not osp.isfile(p):
            raise FileNotFoundError(
                f'pretrained model {name!r}: {p} is missing from the '
                'installed package (tools/train_pretrained.sh writes it)')
    return paths


def resolve_checkpoint(path: str) -> str:
    """The file of ``awing://<name>``; any other path is returned as is."""
    if isinstance(path, str) and path.startswith(SCHEME):
        return pretrained_files(path)[1]
    return path
