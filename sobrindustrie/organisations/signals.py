"""Signals of the organisations app, for the apps that copy a person's data elsewhere."""

from django.dispatch import Signal

#: Sent by `services.erase_person` inside its transaction, once the person row is anonymised, with
#: `person` (already carrying the erased name) and `former_names` (every full name the person had).
#: Apps that froze the person's name in a copy (the adopted versions of action plans) scrub it there,
#: as the erasure purges the person's history.
person_erased = Signal()
