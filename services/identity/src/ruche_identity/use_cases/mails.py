"""E-mails identity sends, in the recipient's language. A mail is stored in the outbox of the document whose
change calls for it, in the same write (see ruche_servicekit.outbox): neither lost nor sent for a change that
was not stored. Mails carrying provisional credentials exist nowhere else (never on Kafka, never in a log) and
leave the database once the SMTP server took them.
"""

from __future__ import annotations

from typing import Any

from ruche_servicekit.outbox import mail_entry

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "designation-approved": {
        "fr": (
            "Ruche : vos accès de gestionnaire d'accès",
            "Bonjour {first_name},\n\nVous êtes désigné(e) gestionnaire d'accès de {enterprise_name} "
            "({enterprise_number}), ticket {ticket}.\n\nNom d'utilisateur provisoire : {username}\n"
            "Mot de passe provisoire : {password}\n\nCes accès sont valables jusqu'au {expires}. À la première "
            "connexion, choisissez votre nom d'utilisateur et votre mot de passe.\n",
        ),
        "nl": (
            "Ruche: uw toegang als toegangsbeheerder",
            "Beste {first_name},\n\nU bent aangesteld als toegangsbeheerder van {enterprise_name} "
            "({enterprise_number}), ticket {ticket}.\n\nVoorlopige gebruikersnaam: {username}\n"
            "Voorlopig wachtwoord: {password}\n\nDeze gegevens zijn geldig tot {expires}. Kies bij de eerste "
            "aanmelding uw eigen gebruikersnaam en wachtwoord.\n",
        ),
        "en": (
            "Ruche: your access manager credentials",
            "Hello {first_name},\n\nYou are designated access manager of {enterprise_name} "
            "({enterprise_number}), ticket {ticket}.\n\nProvisional username: {username}\n"
            "Provisional password: {password}\n\nThey are valid until {expires}. At your first login, choose "
            "your own username and password.\n",
        ),
    },
    "designation-rejected": {
        "fr": (
            "Ruche : demande {ticket} refusée",
            "Bonjour {first_name},\n\nLa demande {ticket} pour {enterprise_name} a été refusée : {reason}\n",
        ),
        "nl": (
            "Ruche: aanvraag {ticket} geweigerd",
            "Beste {first_name},\n\nDe aanvraag {ticket} voor {enterprise_name} werd geweigerd: {reason}\n",
        ),
        "en": (
            "Ruche: request {ticket} rejected",
            "Hello {first_name},\n\nThe request {ticket} for {enterprise_name} was rejected: {reason}\n",
        ),
    },
    "account-locked": {
        "fr": (
            "Ruche : compte bloqué",
            "Bonjour,\n\nTrois tentatives de connexion ont échoué : votre compte est "
            "bloqué jusqu'au {until}. Réinitialisez votre mot de passe pour le débloquer tout de suite.\n",
        ),
        "nl": (
            "Ruche: account geblokkeerd",
            "Hallo,\n\nDrie aanmeldpogingen zijn mislukt: uw account is "
            "geblokkeerd tot {until}. Stel uw wachtwoord opnieuw in om het meteen te deblokkeren.\n",
        ),
        "en": (
            "Ruche: account locked",
            "Hello,\n\nThree login attempts failed: your account is locked until "
            "{until}. Reset your password to unlock it at once.\n",
        ),
    },
    "lost-identifier": {
        "fr": (
            "Ruche : votre nouvel identifiant",
            "Bonjour,\n\nVotre nouvel identifiant : {identifier}\n"
            "Mot de passe provisoire : {password}\n\nL'ancien identifiant ne fonctionne plus. À la connexion, "
            "choisissez votre mot de passe.\n",
        ),
        "nl": (
            "Ruche: uw nieuwe gebruikersnaam",
            "Hallo,\n\nUw nieuwe gebruikersnaam: {identifier}\n"
            "Voorlopig wachtwoord: {password}\n\nDe oude gebruikersnaam werkt niet meer.\n",
        ),
        "en": (
            "Ruche: your new identifier",
            "Hello,\n\nYour new identifier: {identifier}\n"
            "Provisional password: {password}\n\nThe old identifier no longer works.\n",
        ),
    },
    "password-reset": {
        "fr": (
            "Ruche : nouveau mot de passe",
            "Bonjour,\n\nPour choisir un nouveau mot de passe, suivez ce lien "
            "(valable {minutes} minutes, une seule fois) :\n{link}\n",
        ),
        "nl": (
            "Ruche: nieuw wachtwoord",
            "Hallo,\n\nVolg deze link om een nieuw wachtwoord te kiezen "
            "({minutes} minuten geldig, één keer):\n{link}\n",
        ),
        "en": (
            "Ruche: new password",
            "Hello,\n\nFollow this link to choose a new password (valid {minutes} minutes, once):\n{link}\n",
        ),
    },
}


def mail(template: str, *, to: str, language: str, **values: Any) -> dict[str, Any]:
    """A mail to store with the change that calls for it. German falls back to English until translated."""
    texts = TEMPLATES[template]
    subject, body = texts.get(language) or texts["en"]
    return mail_entry(to=to, subject=subject.format(**values), body=body.format(**values), template=template)
