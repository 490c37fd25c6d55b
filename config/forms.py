"""Form behaviour shared by every app's forms."""


class FocusFirstErrorMixin:
    """After a failed submit, put the cursor in the first field that needs attention,
    so keyboard and screen-reader users land on the problem, not at the top of the page.
    Works without JavaScript (the `autofocus` attribute)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                self.fields[name].widget.attrs["autofocus"] = True
                break
