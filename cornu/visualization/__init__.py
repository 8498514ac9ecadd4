"""Pictures: boxes and masks drawn on images, image galleries, training curves, and
attribution overlays (`cornu.explain`)."""

from cornu.utils.history_plot import plot_history
from cornu.visualization.draw_bounding_boxes import draw_bounding_boxes
from cornu.visualization.draw_segmentation_masks import draw_segmentation_masks
from cornu.visualization.overlay_attributions import overlay_attributions
from cornu.visualization.plot_bounding_box_gallery import plot_bounding_box_gallery
from cornu.visualization.plot_image_gallery import plot_image_gallery
from cornu.visualization.plot_segmentation_mask_gallery import plot_segmentation_mask_gallery

__all__ = [
    "draw_bounding_boxes",
    "draw_segmentation_masks",
    "overlay_attributions",
    "plot_bounding_box_gallery",
    "plot_history",
    "plot_image_gallery",
    "plot_segmentation_mask_gallery",
]
