"""The form renderer: Django's TemplatesSetting, with the commonest widgets and Mirror's
field template drawn in Python.

Rendering a form through templates costs a template render per field, per widget and per
select option (a ten-year timeline's period filter has about ninety options), which made
the entry list's filter form cost more than the twenty entries under it. The templates
named in `_DRAWN` (Django's own input, textarea and select widgets, and the project's
templates/django/forms/field.html) are written out here as plain Python producing the same
markup, with every value escaped as the template would escape it. Every other template goes
through the template engine as before; to override one of the drawn templates, take it out
of `_DRAWN`. tests/test_form_renderer.py renders the project's forms both ways and
compares.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {escape(name)}")
        if value is not True:
            out.append(f'="{escape(str(value))}"')
    return "".join(out)


def _input(context: dict) -> str:
    """django/forms/widgets/input.html"""
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{escape(str(value))}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _textarea(context: dict) -> str:
    """django/forms/widgets/textarea.html"""
    widget = context["widget"]
    value = escape(widget["value"]) if widget["value"] else ""
    attrs = _attrs(widget["attrs"])
    return f'<textarea name="{escape(widget["name"])}"{attrs}>\n{value}</textarea>'


_OPTION = "django/forms/widgets/select_option.html"


def _select(context: dict) -> str | None:
    """django/forms/widgets/select.html, with its options (None: an option template of
    the widget's own, left to the template engine)."""
    widget = context["widget"]
    out = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return None
            out.append(
                f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _field(context: dict) -> str:
    """templates/django/forms/field.html: the wrapper, label (or fieldset and legend), help,
    errors, widget."""
    field = context["field"]
    invalid = " field--invalid" if field.errors else ""
    out = [f'<div class="field{invalid} field--{escape(field.widget_type)}">\n']
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{escape(described)}"' if described else ""
        out.append(f"<fieldset{described}>")
        if field.label:
            out.append(f"\n  <legend>{conditional_escape(field.label)}</legend>")
    elif field.label:
        out.append(f'\n  <label for="{escape(field.id_for_label)}">')
        out.append(f"{conditional_escape(field.label)}</label>")
    out.append("\n")
    if field.help_text:
        help_id = f' id="{escape(field.auto_id)}_helptext"' if field.auto_id else ""
        out.append(f'<div class="helptext"{help_id}>{conditional_escape(field.help_text)}</div>')
    out.append(f"\n{conditional_escape(field.errors)}\n{conditional_escape(field)}\n")
    if field.use_fieldset:
        out.append("</fieldset>")
    out.append("\n</div>")
    return "".join(out)


_INPUTS = "text email password number date datetime time url search tel color hidden checkbox"
_DRAWN = {
    **{f"django/forms/widgets/{name}.html": _input for name in [*_INPUTS.split(), "input"]},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/field.html": _field,
}


class FormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        draw = _DRAWN.get(template_name)
        if draw is not None and request is None:
            html = draw(context)
            if html is not None:
                return SafeString(html.strip())
        return super().render(template_name, context, request)
