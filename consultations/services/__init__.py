"""Every write with rules about what happens at the workstations, by subject:

- ``activities``: log, change, submit, approve or return an activity; many at once;
- ``photos``: photos staged while their form is filled in, and their purge;
- ``consultations``: open a consultation, record its steps, link media reports;
- ``messages``: a resident's message received, answered, closed, rated, taken up;
- ``setup``: a committee's activity types.

Views, the admin, imports, commands and the demo call these alike.
"""
