# Ablation ladder, row 5: + boundary heatmap channel (K + 1 outputs,
# supervised like the landmarks) but no boundary coordinates fed forward.
# Row 6, the full method (+ CoordConv with boundary coordinates, paper:
# boundary + coordinates another -0.09), is configs/awing_wflw.py.
_base_ = ['../awing_wflw.py']

model = dict(backbone=dict(boundary_coords=False))
