"""What the check apps do that the checks compare with: how long they take, in seconds, and the
options of named_app's ServerTiming. (Plain values: the checks import this without `timing`.)"""

SLOW = 0.2  # starlette_app's /slow view
BEFORE_START = 0.1  # raw_app's /late-body, before http.response.start
BEFORE_BODY = 0.3  # and then before its body

METRIC = "render"
DESCRIPTION = 'Template "home", rendered'  # a double quote and a comma: it must be a quoted-string
