"""torchvision's COCO -> VOC-21 segmentation target, shared by torchvision_voc21_check.py and
formats/png-labels/torchvision-voc21/make_golden.py.

torchvision's CPU wheels do not load here (see ../shared/PEERS.md), so its segmentation reference
(references/segmentation/coco_utils.py) is implemented from its documented algorithm with numpy and
pycocotools:
  - FilterAndRemapCocoCategories(CAT_LIST, remap=True): keep the annotations (crowds too) whose
    category is in CAT_LIST, category -> its index in CAT_LIST;
  - ConvertCocoPolysToMask: per annotation, frPyObjects(segmentation, h, w) -> decode -> any over the
    parts; target = max over (mask * category); target[masks.sum(0) > 1] = 255 (any two annotations,
    same class or not); no annotation -> zeros.
"""
import numpy as np
from pycocotools import mask as coco_mask

CAT_LIST = [0, 5, 2, 16, 9, 44, 6, 3, 17, 62, 21, 67, 18, 19, 4, 1, 64, 20, 63, 7, 72]


def voc21_target(annotations, height, width):
    """The uint8 height x width target torchvision trains on for one image's COCO annotations."""
    anns = [a for a in annotations if a["category_id"] in CAT_LIST]
    if not anns:
        return np.zeros((height, width), dtype=np.uint8)
    masks, cats = [], []
    for a in anns:
        m = coco_mask.decode(coco_mask.frPyObjects(a["segmentation"], height, width))
        if m.ndim < 3:
            m = m[..., None]
        masks.append(m.any(axis=2).astype(np.uint8))
        cats.append(CAT_LIST.index(a["category_id"]))
    masks = np.stack(masks)
    target = (masks * np.array(cats, dtype=np.uint8)[:, None, None]).max(axis=0)
    target[masks.astype(np.int64).sum(axis=0) > 1] = 255
    return target
