from .random_gaussian_blur import RandomGaussianBlur
from .random_gaussian_noise import RandomGaussianNoise
from .random_occlusion import RandomOcclusion

__all__ = ['RandomGaussianBlur', 'RandomGaussianNoise', 'RandomOcclusion']
