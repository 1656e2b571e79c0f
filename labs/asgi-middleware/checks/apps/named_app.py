"""raw_app's app under a ServerTiming with both options (step 6). A module of its own, so that a
ServerTiming without options yet fails only the checks of step 6."""

from __future__ import annotations

from expected import DESCRIPTION, METRIC
from raw_app import inner

from timing import ServerTiming

app = ServerTiming(inner, metric=METRIC, description=DESCRIPTION)
