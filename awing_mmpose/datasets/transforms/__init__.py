from .keep_landmarks_in_crop import KeepLandmarksInCrop
from .official_wflw_crop import OfficialWFLWCrop
from .random_gaussian_blur import RandomGaussianBlur
from .random_gaussian_noise import RandomGaussianNoise
from .random_occlusion import RandomOcclusion

__all__ = [
    'KeepLandmarksInCrop', 'OfficialWFLWCrop', 'RandomGaussianBlur',
    'RandomGaussianNoise', 'RandomOcclusion'
]
