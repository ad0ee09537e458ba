"""The standards library in the admin, where HR keeps it; one module per concern.

locking: published versions are read-only · library_import_export: the lists' import
and export · standard: a version's page · versions: its history, next version, publish
and JSON pages · upload: the upload page · tasks: duties and tasks · items: the K, S
and A lists and the classifications. Importing the modules registers their admins.
"""

from . import items, standard, tasks

__all__ = ["items", "standard", "tasks"]
