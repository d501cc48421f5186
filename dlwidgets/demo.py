"""A small demo workspace: street scenes drawn on the fly (no downloads), with an ontology to annotate.

``dlwidgets lab`` creates it when the workspace has no projects yet, so a first-time user meets data.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

from .api import Client, Dataset, Item
from .exceptions import NotFound

PROJECT, DATASET = "demo", "street-scenes"
LABELS = {"car": "#e53935", "person": "#43a047", "tree": "#2e7d32", "house": "#fb8c00", "outdoor": "#1e88e5"}


def street_scene(seed: int, width: int = 640, height: int = 400) -> bytes:
    """A JPEG of a simple street: sky, houses, trees, a road with cars and people."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.45, 0.6))
    for y in range(horizon):  # sky gradient
        t = y / horizon
        draw.line([(0, y), (width, y)], fill=(int(90 + 80 * t), int(150 + 60 * t), int(235 - 20 * t)))
    draw.rectangle([0, horizon, width, height], fill=(96, 128, 72))
    road_top = horizon + (height - horizon) // 3
    draw.rectangle([0, road_top, width, height], fill=(70, 70, 76))
    for x in range(0, width, 60):
        draw.rectangle(
            [x + 10, (road_top + height) // 2 - 2, x + 40, (road_top + height) // 2 + 2], fill="white"
        )
    x = rng.randint(-20, 40)
    while x < width:  # houses along the horizon
        w, h = rng.randint(70, 130), rng.randint(60, 120)
        color = rng.choice([(190, 120, 90), (220, 200, 160), (160, 160, 175), (200, 150, 110)])
        draw.rectangle([x, horizon - h, x + w, horizon], fill=color, outline=(60, 50, 50))
        draw.polygon(
            [(x - 6, horizon - h), (x + w // 2, horizon - h - 35), (x + w + 6, horizon - h)],
            fill=(120, 50, 40),
        )
        draw.rectangle([x + w // 2 - 8, horizon - 28, x + w // 2 + 8, horizon], fill=(90, 60, 40))
        x += w + rng.randint(20, 70)
    for _ in range(rng.randint(2, 4)):  # trees
        tx, size = rng.randint(0, width), rng.randint(18, 34)
        draw.rectangle([tx - 4, horizon - 10, tx + 4, horizon + 18], fill=(100, 70, 40))
        draw.ellipse([tx - size, horizon - 10 - 2 * size, tx + size, horizon - 10], fill=(40, 120, 50))
    for _ in range(rng.randint(1, 3)):  # cars
        cx, cy = rng.randint(0, width - 110), rng.randint(road_top + 5, height - 45)
        body = tuple(rng.randint(30, 230) for _ in range(3))
        draw.rounded_rectangle([cx, cy, cx + 100, cy + 32], radius=8, fill=body)
        draw.rounded_rectangle([cx + 20, cy - 16, cx + 75, cy + 4], radius=6, fill=body)
        draw.ellipse([cx + 12, cy + 24, cx + 32, cy + 44], fill=(20, 20, 20))
        draw.ellipse([cx + 68, cy + 24, cx + 88, cy + 44], fill=(20, 20, 20))
    for _ in range(rng.randint(0, 3)):  # people on the pavement
        px, py = rng.randint(10, width - 10), horizon + rng.randint(4, max(6, road_top - horizon - 30))
        draw.ellipse([px - 5, py, px + 5, py + 10], fill=(230, 190, 160))
        draw.rectangle([px - 6, py + 10, px + 6, py + 34], fill=tuple(rng.randint(20, 200) for _ in range(3)))
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def create_demo(client: Client, images: int = 12) -> Dataset:
    """The demo project and dataset (made once; reused if they exist), with labels and images."""
    try:
        project = client.projects.get(project_name=PROJECT)
    except NotFound:
        project = client.projects.create(project_name=PROJECT)
    names = [d.name for d in project.datasets.list()]
    if DATASET in names:
        return project.datasets.get(dataset_name=DATASET)
    dataset = project.datasets.create(dataset_name=DATASET)
    ontology = dataset.ontology()
    for tag, color in LABELS.items():
        ontology.add_label(label_name=tag, color=color)
    ontology.update_attributes(key="parked", title="Parked?", attribute_type="boolean", scope=["car"])
    for n in range(images):
        item = dataset.items.upload(
            local_path=street_scene(n), remote_path="/streets", remote_name=f"street-{n:02d}.jpg"
        )
        assert isinstance(item, Item)
    return dataset
