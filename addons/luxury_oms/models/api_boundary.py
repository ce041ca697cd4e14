"""The boundary every channel API call crosses (see docs/security.md).

Three promises hold whatever the caller sends:

- the caller's context is not an input: the call runs with a context of its own, keeping only
  the language and time zone of the answer's texts;
- a refused call writes nothing: each try runs in a savepoint;
- contention is handled here, not by Odoo's request-level replay (up to 5 replays with
  randomised pauses of up to 32 s, then a traceback): the call is replayed with short pauses
  and, past a bound, refused as busy, with nothing written;
- an unexpected error reaches the caller as a short incident reference, never a traceback;
  the traceback is logged under that reference.
"""

import logging
import random
import time
import uuid

from psycopg2 import OperationalError

from odoo.exceptions import AccessDenied
from odoo.exceptions import ConcurrencyError
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)

# They change the language and time zone of the answer's texts, never a rule.
KEPT_CONTEXT_KEYS = ("lang", "tz")
# A call that keeps losing the race for a hot SKU is answered "busy" once this long has passed
# since its first try. The bench's target for the hot SKU is a p99 of 5 s as the channel sees
# it, which includes the wait for a free worker: 8 clients on 2 workers wait about 1.5 s.
BUSY_AFTER_SECONDS = 2.5
# Pause between replays: short and random, so the losers of one race do not meet again.
REPLAY_PAUSE_SECONDS = (0.005, 0.1)


class ApiBusyError(UserError):
    """Stable refusal of a call that lost the race for the same stock too many times."""


def clean_context(context):
    """The context an API call runs with: the caller's language and time zone, nothing else."""
    return {
        key: context[key]
        for key in KEPT_CONTEXT_KEYS
        if isinstance(context.get(key), str) and context[key]
    }


def call(model, method_name, *args):
    """Run ``model.<method_name>(*args)`` inside the boundary and return its answer."""
    api = model.with_env(model.env(context=clean_context(model.env.context)))
    started = time.monotonic()
    while True:
        try:
            # A refused call leaves nothing, even for an in-process caller that goes on; the
            # savepoint's flush sends pending writes where a conflict can still be replayed.
            with api.env.cr.savepoint():
                return getattr(api, method_name)(*args)
        except (UserError, AccessDenied):
            raise
        except (ConcurrencyError, OperationalError) as error:
            if not isinstance(error, (ConcurrencyError, *PG_CONCURRENCY_EXCEPTIONS_TO_RETRY)):
                raise _incident(api, method_name) from None
            _rollback(api.env)
            if time.monotonic() - started > BUSY_AFTER_SECONDS:
                raise ApiBusyError(
                    api.env._(
                        "busy: the same stock is being sold by other orders right now; "
                        "nothing was written, retry."
                    )
                ) from None
            time.sleep(random.uniform(*REPLAY_PAUSE_SECONDS))
        except Exception:  # the caller gets a reference, the log the traceback
            raise _incident(api, method_name) from None


def _rollback(env):
    """What Odoo's request replay does between two tries (odoo/service/model.py)."""
    env.cr.rollback()
    env.transaction.reset()
    env.registry.reset_changes()


def _incident(api, method_name):
    """Log the error being handled under a new reference; the refusal the caller gets."""
    reference = uuid.uuid4().hex[:10].upper()
    _logger.exception(
        "Channel API incident %s in %s (user %s)", reference, method_name, api.env.uid
    )
    _rollback(api.env)
    return UserError(
        api.env._(
            "internal error: incident %(ref)s; nothing was written. Give this reference to "
            "the maison's support.",
            ref=reference,
        )
    )
