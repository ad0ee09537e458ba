"""Writing parsed standards to the library, and reading them back in the interchange form.

`standard_import` (services/writer.py) is the one writer of a whole document; the
family's links live in services/family.py, the bulk history in services/history.py.
"""

from .export import content_digest, standard_export, standards_export
from .family import link_family
from .writer import ImportResult, standard_import

__all__ = [
    "ImportResult",
    "content_digest",
    "link_family",
    "standard_export",
    "standard_import",
    "standards_export",
]
