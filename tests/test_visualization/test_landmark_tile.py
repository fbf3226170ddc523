"""draw_landmark_tile: the crop follows the box, points land where they
belong, colours follow the facial parts."""
import numpy as np

from awing_mmpose.visualization import WFLW_PART_COLOURS, draw_landmark_tile


def test_tile_crop_and_points():
    img = np.zeros((300, 400, 3), np.uint8)
    img[100:200, 150:250] = 80  # the "face": the box itself
    box = [150, 100, 250, 200]
    centre = np.array([[200., 150.]])
    tile = draw_landmark_tile(img, box, [centre], colours=[(0, 0, 255)],
                              size=128, margin=0.5)
    assert tile.shape == (128, 128, 3)
    # margin 0.5: the box covers the middle half of the tile
    assert tile[40, 40].tolist() == [80, 80, 80]
    assert tile[10, 10].tolist() == [0, 0, 0]
    assert tile[64, 64].tolist() == [0, 0, 255]  # the point, in red


def test_wflw_points_coloured_by_part():
    img = np.zeros((256, 256, 3), np.uint8)
    pts = np.full((98, 2), np.nan)
    pts[0] = (64, 64)      # contour
    pts[54] = (192, 192)   # nose
    tile = draw_landmark_tile(img, [0, 0, 256, 256], [pts], size=256,
                              margin=0.)
    assert tuple(tile[64, 64]) == WFLW_PART_COLOURS[0][1]
    assert tuple(tile[192, 192]) == WFLW_PART_COLOURS[2][1]
