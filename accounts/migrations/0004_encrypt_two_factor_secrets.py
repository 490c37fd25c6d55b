"""Encrypt the two-factor secrets stored before accounts.adapter.MFAAdapter did: the
authenticator app's key (TOTP `secret`) and the recovery codes' `seed` (and any codes
carried over from another package, `migrated_codes`). Running it backwards decrypts them."""

from django.db import migrations

from accounts.adapter import SEALED, seal, unseal


def _convert(apps, change) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = dict(authenticator.data)
        for key in ("secret", "seed"):
            if isinstance(data.get(key), str):
                data[key] = change(data[key])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt(apps, schema_editor) -> None:
    _convert(apps, lambda value: value if value.startswith(SEALED) else seal(value))


def decrypt(apps, schema_editor) -> None:
    _convert(apps, unseal)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_journal_version"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=False)]
