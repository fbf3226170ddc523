# Ablation ladder at CPU size, row 5: + boundary heatmap channel, no boundary
# coordinates fed forward (the diff of ../awing_wflw_5_boundary.py).
_base_ = ['./awing_wflw_6_full.py']

model = dict(backbone=dict(boundary_coords=False))
