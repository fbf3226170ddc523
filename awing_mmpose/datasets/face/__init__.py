from .face_landmark_dataset import FaceLandmarkDataset

__all__ = ['FaceLandmarkDataset']
