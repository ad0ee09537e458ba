"""Writing parsed standards to the library, and reading them back in the interchange form.

`import_standard` (services/writer.py) is the one writer of a whole document; the
family's links live in services/family.py, the bulk history in services/history.py.
"""

from .export import content_digest, export_standard
from .family import link_family
from .writer import ImportResult, import_standard

__all__ = ["ImportResult", "content_digest", "export_standard", "import_standard", "link_family"]
