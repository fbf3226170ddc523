# Ablation ladder, row 4: AWing x Weighted Loss Map (3x3 grey dilation)
# (paper: another -0.25 NME points).
_base_ = ['./awing_wflw_3_awing_naive_map.py']

model = dict(head=dict(loss=dict(kernel_size=3)))
