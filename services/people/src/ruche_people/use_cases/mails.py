"""E-mails people sends, in the recipient's language. A mail is stored in the outbox of the worker whose change
calls for it, in the same write (see ruche_servicekit.outbox), and leaves the database once the SMTP server took
it. Links are stored as `{site}/path`: the SMTP adapter puts the console's public address in when it sends.
Dates are Belgian (31/12/2026)."""

from __future__ import annotations

from typing import Any

from ruche_servicekit.smtp import templated_mail

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "onboarding-link": {
        "fr": (
            "Ruche : vos données pour votre nouvel emploi",
            "Bonjour {first_name},\n\n"
            "Votre futur employeur vous demande de compléter vos données personnelles (numéro de registre "
            "national, adresse, compte bancaire...) avant votre entrée en service. Cela prend quelques minutes, "
            "sur cette page :\n{site}/onboarding/{token}\n\n"
            "Le lien est personnel, ne sert qu'une fois et expire le {until}. Vous pouvez enregistrer un brouillon "
            "et revenir plus tard ; quand tout est complet, envoyez le formulaire : votre employeur le vérifiera.\n\n"
            "Vous ne vous attendiez pas à ce message ? Ignorez-le.\n\n"
            "L'équipe Ruche\n",
        ),
        "nl": (
            "Ruche: uw gegevens voor uw nieuwe job",
            "Beste {first_name},\n\n"
            "Uw toekomstige werkgever vraagt u uw persoonsgegevens aan te vullen (rijksregisternummer, adres, "
            "bankrekening...) voor u in dienst treedt. Dat duurt enkele minuten, op deze pagina:\n"
            "{site}/onboarding/{token}\n\n"
            "De link is persoonlijk, werkt maar één keer en vervalt op {until}. U kunt een ontwerp bewaren en later "
            "verdergaan; is alles volledig, verstuur dan het formulier: uw werkgever kijkt het na.\n\n"
            "Verwachtte u dit bericht niet? Negeer het dan.\n\n"
            "Het Ruche-team\n",
        ),
        "en": (
            "Ruche: your details for your new job",
            "Hello {first_name},\n\n"
            "Your future employer asks you to fill in your personal details (national register number, address, "
            "bank account...) before you start. It takes a few minutes, on this page:\n"
            "{site}/onboarding/{token}\n\n"
            "The link is personal, works once and expires on {until}. You can save a draft and come back later; "
            "when everything is complete, submit the form: your employer will check it.\n\n"
            "Not expecting this message? Ignore it.\n\n"
            "The Ruche team\n",
        ),
    },
}


def mail(template: str, *, to: str, language: str, **values: Any) -> dict[str, Any]:
    """A mail to store with the change that calls for it."""
    return templated_mail(TEMPLATES, template, to=to, language=language, **values)
