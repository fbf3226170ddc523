from .face import *  # noqa: F401,F403
from .transforms import *  # noqa: F401,F403
