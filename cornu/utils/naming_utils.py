"""get_uid: numbered ids per prefix, reset by ``clear_session()``."""

import collections

from cornu.utils import global_state


def get_uid(prefix=""):
    """Associates a string prefix with an integer counter: returns 1, then 2, ... for each
    `prefix`, until `clear_session()`.

    Args:
        prefix: the string prefix to count.

    Returns:
        The next unique integer id for `prefix`.
    """
    counts = global_state.get_global_attribute(
        "object_name_uids", collections.defaultdict(int), set_to_default=True
    )
    counts[prefix] += 1
    return counts[prefix]
