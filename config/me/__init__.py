"""The member workspace (/me/): a member's desk, activity logs, the convener's queue,
consultations step by step and outcomes; and the sign-in pages (/accounts/).

Who may see what is ``access``: every object is looked up through the signed-in member.
"""
