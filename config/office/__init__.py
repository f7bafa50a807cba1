"""The staff dashboards (/office/<committee>/…): the rhythm board, figures by period, member
points, the yearly assessment and the ledgers. One module per screen; the computations live in
``outcomes.rhythm``, ``points``, ``assessment``, ``figures_by_period`` and ``exports``."""
