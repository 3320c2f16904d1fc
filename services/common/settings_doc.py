"""Print the settings of a service as a Markdown table (for the docs).

    python -m services.common.settings_doc [services.vault.settings:VaultSettings]
"""

from __future__ import annotations

import importlib
import sys

from pydantic_settings import BaseSettings

from services.common.settings import ENV_PREFIX, ServiceSettings


def table(cls: type[BaseSettings], skip: frozenset[str] = frozenset()) -> str:
    rows = ["| variable | default | description |", "|---|---|---|"]
    for name, field in cls.model_fields.items():
        if name in skip:
            continue
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        shown = "" if default is None else f"`{default}`"
        rows.append(f"| `{ENV_PREFIX}{name.upper()}` | {shown} | {field.description or ''} |")
    return "\n".join(rows)


def main() -> None:
    target = sys.argv[1] if len(sys.argv) > 1 else None
    if target is None:
        print(table(ServiceSettings))
        return
    module, _, attr = target.partition(":")
    cls = getattr(importlib.import_module(module), attr)
    print(table(cls, skip=frozenset(ServiceSettings.model_fields)))


if __name__ == "__main__":
    main()
