from .keep_landmarks_in_crop import KeepLandmarksInCrop
from .official_wflw_crop import OfficialWFLWCrop
from .random_convolution import RandomConvolution
from .random_gaussian_blur import RandomGaussianBlur
from .random_gaussian_noise import RandomGaussianNoise
from .random_grayscale import RandomGrayscale
from .random_jpeg_compression import RandomJPEGCompression
from .random_low_resolution import RandomLowResolution
from .random_occlusion import RandomOcclusion
from .random_photo_occlusion import RandomPhotoOcclusion

__all__ = [
    'KeepLandmarksInCrop', 'OfficialWFLWCrop', 'RandomConvolution',
    'RandomGaussianBlur', 'RandomGaussianNoise', 'RandomGrayscale',
    'RandomJPEGCompression', 'RandomLowResolution', 'RandomOcclusion',
    'RandomPhotoOcclusion'
]
