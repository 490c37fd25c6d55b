from django import forms

from config.forms import FocusFirstErrorMixin

from .models import User, time_zone_choices


class ProfileForm(FocusFirstErrorMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, label="Time zone")

    class Meta:
        model = User
        fields = ["display_name", "time_zone"]
