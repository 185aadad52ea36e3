"""A lossless JSON serialisation for backups.

Django's JSON encoder cuts datetimes and times to milliseconds (ECMA-262's format), so a backup made
with it loses the microseconds and a timestamp such as 10:00:00.000456 comes back as 10:00:00. This
format is Django's JSON format with full ISO 8601 precision; its deserialiser is Django's own, which
reads both forms.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", FullPrecisionEncoder)
        super()._init_options()  # type: ignore[misc]


Deserializer = django_json.Deserializer
