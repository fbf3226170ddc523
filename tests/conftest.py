import pytest
from mmengine.registry import DefaultScope, init_default_scope


@pytest.fixture(autouse=True)
def mmpose_default_scope():
    """Each test runs under MMPose's default scope, as every config here
    does, whatever an earlier test (an inferencer, say) left behind."""
    init_default_scope('mmpose')
    with DefaultScope.overwrite_default_scope('mmpose'):
        yield
