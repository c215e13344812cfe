"""Where Bottrop is: a bounding box around the city (S 51.485, W 6.840, N 51.650,
E 7.010) with a small margin, used to refuse coordinates that cannot be in the city."""

from __future__ import annotations

SOUTH, WEST, NORTH, EAST = 51.47, 6.82, 51.66, 7.03
CENTRE = (51.5236, 6.9292)  # the town hall square
BOUNDS = ((SOUTH, WEST), (NORTH, EAST))  # south-west and north-east corners (lat, lon)


def in_bottrop(lat: float, lon: float) -> bool:
    return SOUTH <= lat <= NORTH and WEST <= lon <= EAST
