# Ablation ladder at CPU size, row 4: AWing x Weighted Loss Map (3x3 dilation).
_base_ = ['./awing_wflw_3_awing_naive_map.py']

model = dict(head=dict(loss=dict(kernel_size=3)))
