"""Demo data: three county committees with a year of work (``manage.py load_demo``).

``counties`` describes the counties, ``people`` and ``texts`` hold the tables names and words are
drawn from, ``photos`` draws placeholder pictures with Pillow, and ``builder`` writes it all.
"""

from .builder import ACCOUNTS, DEFAULT_SEED, DEMO_PASSWORD, DemoResult, load_demo

__all__ = ["ACCOUNTS", "DEFAULT_SEED", "DEMO_PASSWORD", "DemoResult", "load_demo"]
