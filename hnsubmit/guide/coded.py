"""Office guides (办事指南): model, profiles, readers, writers and cross-field rules (GDE)."""

from __future__ import annotations


def codes_for(model, name: str) -> list[str]:
    """The allowed values of a coded element, as a template shows them ("01 行政许可"), else []."""
    from hnsubmit.guide.enums import codes

    stack = [model.model_fields[name].annotation]
    while stack:
        t = stack.pop()
        if isinstance(t, type) and issubclass(t, codes.CodedEnum):
            return codes.allowed_values(t)
        stack.extend(getattr(t, "__args__", ()) or ())
        origin = getattr(t, "__origin__", None)
        if origin is not None:
            stack.append(origin)
    return []
