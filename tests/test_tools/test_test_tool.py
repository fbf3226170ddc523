"""tools/test.py's checkpoint argument: a file, or a model shipped in the
package (awing://<name>); anything else stops before the runner starts."""
import pytest

from awing_mmpose.pretrained import pretrained_files
from awing_mmpose.utils import load_config


@pytest.fixture
def cfg_and_args(test_tool):
    config = pretrained_files()[0]

    def make(checkpoint):
        args = test_tool.parse_args([config, checkpoint])
        return load_config(config), args
    return make


def test_a_shipped_model_name_is_a_checkpoint(test_tool, cfg_and_args):
    cfg, args = cfg_and_args('awing://synthetic_wflw')
    assert test_tool.merge_args(cfg, args).load_from == \
        'awing://synthetic_wflw'


def test_a_file_and_bad_names(test_tool, cfg_and_args, tmp_path):
    ckpt = tmp_path / 'epoch_1.pth'
    ckpt.write_bytes(b'')
    cfg, args = cfg_and_args(str(ckpt))
    assert test_tool.merge_args(cfg, args).load_from == str(ckpt)
    with pytest.raises(FileNotFoundError, match='checkpoint not found'):
        test_tool.merge_args(*cfg_and_args(str(tmp_path / 'none.pth')))
    with pytest.raises(KeyError, match='nothing'):
        test_tool.merge_args(*cfg_and_args('awing://nothing'))
