"""What ``tools/demo.py`` says about the faces it found: per-face flags
(too small, cut by the border) and one summary line per input."""
from typing import Dict, List, Optional, Sequence


def face_flags(face: Dict, shape: Sequence[int],
               min_face_size: float) -> List[str]:
    """Why a face's landmarks may be unreliable: ``small`` (box side below
    ``min_face_size`` px) and ``cut by the <side> border`` (the box touches
    the image edge, i.e. the face continues outside the picture).

    Args:
        face (dict): with ``bbox`` [x1, y1, x2, y2] (image pixels).
        shape (tuple): image shape (H, W[, C]).
    """
    if 'bbox' not in face:
        return []
    h, w = shape[:2]
    x1, y1, x2, y2 = face['bbox']
    flags = []
    side = min(x2 - x1, y2 - y1)
    if side < min_face_size:
        flags.append(f'small ({side:.0f} px < {min_face_size:g})')
    cut = [name for name, edge in (('left', x1 <= 1), ('top', y1 <= 1),
                                   ('right', x2 >= w - 2),
                                   ('bottom', y2 >= h - 2)) if edge]
    if cut:
        flags.append('cut by the ' + '/'.join(cut) + ' border')
    return flags


class FaceCounts:
    """Running counts of faces, flagged faces and frames (an input's
    summary without keeping its faces)."""

    def __init__(self) -> None:
        self.frames = 0
        self.faces = 0
        self.small = 0
        self.cut = 0

    def add(self, faces: List[Dict]) -> None:
        """Count the faces of one frame (or picture)."""
        self.frames += 1
        self.faces += len(faces)
        for face in faces:
            flags = face.get('flags', [])
            self.small += any(f.startswith('small') for f in flags)
            self.cut += any(f.startswith('cut') for f in flags)


def summary_line(name: str, counts: FaceCounts, seconds: float,
                 tracks: Optional[int] = None, video: bool = False) -> str:
    """One line about one input: faces found, flagged faces, time per face.

    Args:
        name (str): the input.
        counts (FaceCounts): its faces.
        seconds (float): detection + landmark time of the input.
        tracks (int, optional): face ids seen in a video.
        video (bool): the input is a video (frames per second are given).
    """
    n = counts.faces
    per_face = f'{seconds / n:.3f} s/face' if n else 'no face'
    if not video:
        what = f'{n} face{"s" if n != 1 else ""}'
    else:
        what = (f'{counts.frames} frames, {n} faces '
                f'({n / max(counts.frames, 1):.2f}/frame, '
                f'{tracks if tracks is not None else "?"} tracks), '
                f'{counts.frames / max(seconds, 1e-9):.1f} frames/s')
    notes = []
    if counts.small:
        notes.append(f'{counts.small} small')
    if counts.cut:
        notes.append(f'{counts.cut} cut by the border')
    flagged = f' [{", ".join(notes)}]' if notes else ''
    return f'demo: {name}: {what}{flagged}; {seconds:.2f} s, {per_face}'
