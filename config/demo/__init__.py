"""Demo data: three county committees with a year of work (``manage.py load_demo``).

``builder`` writes it all through the services; ``counties``, ``people`` and ``texts`` hold the
tables names and words are drawn from, and ``photos`` draws placeholder pictures with Pillow.
"""
