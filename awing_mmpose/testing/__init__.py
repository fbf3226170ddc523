"""Media for tests and benchmarks that install with the dependencies: three
public-domain portraits (:mod:`.sample_photos`) and a video of them made
from scratch (:mod:`.group_clip`). Nothing here is downloaded."""
from .group_clip import DEFAULT_FACES, HARD_FACES, GroupClip
from .sample_photos import PORTRAITS, Portrait, portrait, portrait_paths

__all__ = [
    'DEFAULT_FACES', 'HARD_FACES', 'GroupClip', 'PORTRAITS', 'Portrait',
    'portrait', 'portrait_paths'
]
