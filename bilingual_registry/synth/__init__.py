"""Realistic synthetic records: the generator (clean records from the glossary), planted damage with its
truth, and the registry's layouts to write them in (`bireg synth`). The test bed for tests and benchmarks."""
from .damage import OTHER_KINDS, Plant, plant_lost, plant_other
from .records import Generator, template_path

__all__ = ["Generator", "OTHER_KINDS", "Plant", "plant_lost", "plant_other", "template_path"]
