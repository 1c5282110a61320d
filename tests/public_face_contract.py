"""An import-linter contract: an app imports only the public face of another app.

The public face of an app is its package itself and the modules named in `public_modules` (services, selectors,
access, models, errors, and what lies inside them when they are packages). Any other import across apps — views,
forms, api, tasks, a private helper — breaks the contract. Registered in pyproject.toml under
[tool.importlinter] contract_types.
"""

from typing import Any

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


class PublicFaceContract(Contract):
    type_name = "public_face"

    apps = fields.ListField(subfield=fields.StringField())
    public_modules = fields.ListField(subfield=fields.StringField())
    core = fields.StringField(required=False)
    core_private_modules = fields.ListField(subfield=fields.StringField(), required=False)

    def _is_public(self, module: str, app: str) -> bool:
        if module == app:
            return True
        first = module[len(app) + 1:].split(".")[0]
        if app == getattr(self, "core", None):
            return first not in set(self.core_private_modules or [])  # type: ignore[arg-type]
        return first in set(self.public_modules)  # type: ignore[arg-type]

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        apps: list[str] = list(self.apps)  # type: ignore[arg-type]
        broken: list[dict[str, Any]] = []
        for importer_app in apps:
            importers = {importer_app, *graph.find_descendants(importer_app)}
            for imported_app in apps:
                if imported_app == importer_app:
                    continue
                for imported in {imported_app, *graph.find_descendants(imported_app)}:
                    if self._is_public(imported, imported_app):
                        continue
                    for importer in sorted(graph.find_modules_that_directly_import(imported) & importers):
                        details = graph.get_import_details(importer=importer, imported=imported)
                        line = details[0]["line_number"] if details else 0
                        broken.append({"importer": importer, "imported": imported, "line": line})
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in sorted(check.metadata["broken"], key=lambda i: (i["importer"], i["imported"])):
            output.print_error(f"{item['importer']} (l. {item['line']}) imports {item['imported']}, which is not "
                               "that app's public face (services, selectors, access, models, errors)")
            output.new_line()
