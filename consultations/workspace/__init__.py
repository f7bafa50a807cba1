"""The member workspace screens for activities, the convener's queue and consultations."""
