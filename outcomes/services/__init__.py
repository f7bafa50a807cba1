"""Every write with rules about what comes of the work, by subject:

- ``outcomes``: draft, change and submit an outcome; a consultation report drafted from its
  consultation; the trail (adopted, endorsed, put into effect, problem solved);
- ``rhythm``: change a rhythm requirement so that closed periods keep their result;
- ``setup``: a new committee's defaults across every app.

Views, the admin, imports, commands and the demo call these alike.
"""
