"""The member workspace (/me/): the desk and the outcomes screens; the URL module for all of it."""
