"""How the head around the face looks when skin, not a hood of hair,
surrounds it: an "open head".

By default (:func:`~.renderer.render_face` without a look) the face is a
skin-coloured silhouette framed by hair or background, so its outline is a
strong colour edge everywhere. In a photo the cheek runs on into the temple
and the ear, and the jaw into the neck, in much the same colour: the outline
is seen in the shading. A :class:`HeadLook` draws that: temples and neck in
a tone close to the face's, short hair on the top of the head only, a jaw
shadow of varying strength, a softer face edge and fine skin grain. The
landmarks do not depend on it.
"""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class HeadLook:
    """Drawing choices of an open head (template units: about half the face
    width at eye level).

    Attributes:
        neck_width: half width of the neck below the jaw (0.5-0.75).
        neck_tone: neck colour over the face's skin colour (0.75-1.0).
        side_tone: colour of temples, cheeks behind the outline and scalp
            over the face's skin colour (0.8-1.0).
        jaw_shadow: opacity of the shadow the jaw casts on the neck
            (0.1-0.7).
        edge_blur: softness of the face silhouette, a fraction of the
            scale (0.002-0.03).
        skin_grain: std of fine skin texture in grey levels (0-7).
    """
    neck_width: float
    neck_tone: float
    side_tone: float
    jaw_shadow: float
    edge_blur: float
    skin_grain: float


def sample_head_look(rng: np.random.Generator) -> HeadLook:
    """Draw a :class:`HeadLook` (6 uniform draws)."""
    u = rng.random(6)
    return HeadLook(neck_width=0.5 + 0.25 * u[0],
                    neck_tone=0.75 + 0.25 * u[1],
                    side_tone=0.8 + 0.2 * u[2],
                    jaw_shadow=0.1 + 0.6 * u[3],
                    edge_blur=0.002 + 0.028 * u[4],
                    skin_grain=7.0 * u[5])
