"""The classroom: one sandbox process serving an isolated Cognito world to every learner.

The server and its key-checked front door (:mod:`.app`, :class:`~.app.Classroom`), one learner's
world (:mod:`.world`: a moto account and emulator state of its own), joining with a class code
(:mod:`.join`), the roster saved across restarts (:mod:`.store`) and the in-process transport the
lab's helpers call through (:mod:`.transport`). The classroom stands on the emulator; the
emulator never imports the classroom.
"""
