"""E-mails identity sends, in the recipient's language. A mail is stored in the outbox of the document whose
change calls for it, in the same write (see ruche_servicekit.outbox): neither lost nor sent for a change that
was not stored. Mails carrying provisional credentials exist nowhere else (never on Kafka, never in a log) and
leave the database once the SMTP server took them.

Every mail says what happened and what to do next, with a link to the console page that does it. Links are
stored as `{site}/path`: the SMTP adapter puts the console's public address in when it sends (see
ruche_servicekit.smtp), so use cases need not know where the console is served. Times are Belgian local time.
"""

from __future__ import annotations

from typing import Any

from ruche_servicekit.smtp import templated_mail

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "designation-approved": {
        "fr": (
            "Ruche : vous êtes gestionnaire d'accès de {enterprise_name}",
            "Bonjour {first_name},\n\n"
            "Votre demande {ticket} est acceptée : vous êtes gestionnaire d'accès de {enterprise_name} "
            "(numéro d'entreprise {enterprise_number}).\n\n"
            "Nom d'utilisateur provisoire : {username}\n"
            "Mot de passe provisoire : {password}\n\n"
            "Connectez-vous une première fois avant le {expires} sur la page suivante ; vous y choisirez votre "
            "propre nom d'utilisateur et votre mot de passe :\n{site}/first-sign-in\n\n"
            "Si vous n'avez pas fait cette demande, ne faites rien : ces accès expireront d'eux-mêmes.\n\n"
            "L'équipe Ruche\n",
        ),
        "nl": (
            "Ruche: u bent toegangsbeheerder van {enterprise_name}",
            "Beste {first_name},\n\n"
            "Uw aanvraag {ticket} is aanvaard: u bent toegangsbeheerder van {enterprise_name} "
            "(ondernemingsnummer {enterprise_number}).\n\n"
            "Voorlopige gebruikersnaam: {username}\n"
            "Voorlopig wachtwoord: {password}\n\n"
            "Meld u vóór {expires} een eerste keer aan op de volgende pagina; daar kiest u uw eigen "
            "gebruikersnaam en wachtwoord:\n{site}/first-sign-in\n\n"
            "Hebt u deze aanvraag niet gedaan? Doe dan niets: deze gegevens vervallen vanzelf.\n\n"
            "Het Ruche-team\n",
        ),
        "en": (
            "Ruche: you are the access manager of {enterprise_name}",
            "Hello {first_name},\n\n"
            "Your request {ticket} is approved: you are the access manager of {enterprise_name} "
            "(enterprise number {enterprise_number}).\n\n"
            "Provisional username: {username}\n"
            "Provisional password: {password}\n\n"
            "Sign in for the first time before {expires} on the page below; there you choose your own username "
            "and password:\n{site}/first-sign-in\n\n"
            "If you did not make this request, do nothing: these credentials expire by themselves.\n\n"
            "The Ruche team\n",
        ),
    },
    "designation-rejected": {
        "fr": (
            "Ruche : votre demande {ticket} n'a pas été acceptée",
            "Bonjour {first_name},\n\n"
            "Votre demande {ticket} de désignation d'un gestionnaire d'accès pour {enterprise_name} n'a pas été "
            "acceptée, pour la raison suivante :\n\n{reason}\n\n"
            "Vous pouvez introduire une nouvelle demande ici :\n{site}/designation\n\n"
            "L'équipe Ruche\n",
        ),
        "nl": (
            "Ruche: uw aanvraag {ticket} werd niet aanvaard",
            "Beste {first_name},\n\n"
            "Uw aanvraag {ticket} tot aanstelling van een toegangsbeheerder voor {enterprise_name} werd niet "
            "aanvaard, om de volgende reden:\n\n{reason}\n\n"
            "U kunt hier een nieuwe aanvraag indienen:\n{site}/designation\n\n"
            "Het Ruche-team\n",
        ),
        "en": (
            "Ruche: your request {ticket} was not approved",
            "Hello {first_name},\n\n"
            "Your request {ticket} to designate an access manager for {enterprise_name} was not approved, "
            "for this reason:\n\n{reason}\n\n"
            "You can send a new request here:\n{site}/designation\n\n"
            "The Ruche team\n",
        ),
    },
    "account-locked": {
        "fr": (
            "Ruche : votre compte est bloqué jusqu'au {until}",
            "Bonjour,\n\n"
            "Trois tentatives de connexion à votre compte ont échoué. Pour votre sécurité, il est bloqué "
            "jusqu'au {until}. Vous pourrez ensuite vous reconnecter ici :\n{site}/sign-in\n\n"
            "Besoin d'entrer plus tôt ? Demandez à votre gestionnaire d'accès de débloquer votre compte.\n"
            "Si ce n'était pas vous, prévenez-le aussi.\n\n"
            "L'équipe Ruche\n",
        ),
        "nl": (
            "Ruche: uw account is geblokkeerd tot {until}",
            "Hallo,\n\n"
            "Drie aanmeldpogingen op uw account zijn mislukt. Voor uw veiligheid is het geblokkeerd tot "
            "{until}. Daarna kunt u zich hier opnieuw aanmelden:\n{site}/sign-in\n\n"
            "Moet u er eerder in? Vraag uw toegangsbeheerder om uw account te deblokkeren.\n"
            "Was u dit niet, verwittig hem of haar dan ook.\n\n"
            "Het Ruche-team\n",
        ),
        "en": (
            "Ruche: your account is locked until {until}",
            "Hello,\n\n"
            "Three attempts to sign in to your account failed. For your safety it is locked until {until}. "
            "After that you can sign in again here:\n{site}/sign-in\n\n"
            "Need in sooner? Ask your access manager to unblock your account.\n"
            "If this was not you, tell them too.\n\n"
            "The Ruche team\n",
        ),
    },
    "employee-account-locked": {
        "fr": (
            "Ruche : votre coffre-fort est bloqué jusqu'au {until}",
            "Bonjour,\n\n"
            "Trois tentatives de connexion à votre coffre-fort ont échoué. Pour votre sécurité, il est bloqué "
            "jusqu'au {until}.\n\n"
            "Pour le débloquer tout de suite, choisissez un nouveau mot de passe ici :\n"
            "{site}/forgotten-password\n\n"
            "L'équipe Ruche\n",
        ),
        "nl": (
            "Ruche: uw kluis is geblokkeerd tot {until}",
            "Hallo,\n\n"
            "Drie aanmeldpogingen op uw kluis zijn mislukt. Voor uw veiligheid is ze geblokkeerd tot {until}.\n\n"
            "Kies hier een nieuw wachtwoord om ze meteen te deblokkeren:\n{site}/forgotten-password\n\n"
            "Het Ruche-team\n",
        ),
        "en": (
            "Ruche: your vault is locked until {until}",
            "Hello,\n\n"
            "Three attempts to sign in to your vault failed. For your safety it is locked until {until}.\n\n"
            "To unlock it at once, choose a new password here:\n{site}/forgotten-password\n\n"
            "The Ruche team\n",
        ),
    },
    "lost-identifier": {
        "fr": (
            "Ruche : votre nouvel identifiant",
            "Bonjour,\n\n"
            "Voici l'identifiant et le mot de passe provisoire de votre coffre-fort :\n\n"
            "Identifiant : {identifier}\n"
            "Mot de passe provisoire : {password}\n\n"
            "Votre ancien identifiant ne fonctionne plus. Connectez-vous ici et choisissez votre mot de passe :\n"
            "{site}/employee/first-sign-in?identifier={identifier}\n\n"
            "L'équipe Ruche\n",
        ),
        "nl": (
            "Ruche: uw nieuwe identificatienummer",
            "Hallo,\n\n"
            "Hier zijn het identificatienummer en het voorlopige wachtwoord van uw kluis:\n\n"
            "Identificatienummer: {identifier}\n"
            "Voorlopig wachtwoord: {password}\n\n"
            "Uw oude identificatienummer werkt niet meer. Meld u hier aan en kies uw wachtwoord:\n"
            "{site}/employee/first-sign-in?identifier={identifier}\n\n"
            "Het Ruche-team\n",
        ),
        "en": (
            "Ruche: your new identifier",
            "Hello,\n\n"
            "Here are the identifier and provisional password of your vault:\n\n"
            "Identifier: {identifier}\n"
            "Provisional password: {password}\n\n"
            "Your old identifier no longer works. Sign in here and choose your password:\n"
            "{site}/employee/first-sign-in?identifier={identifier}\n\n"
            "The Ruche team\n",
        ),
    },
    "password-reset": {
        "fr": (
            "Ruche : choisissez un nouveau mot de passe",
            "Bonjour,\n\n"
            "Vous avez demandé un nouveau mot de passe pour votre coffre-fort. Choisissez-le sur cette page "
            "avant le {until} (le lien ne sert qu'une fois) :\n{site}/password-reset/{token}\n\n"
            "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n\n"
            "L'équipe Ruche\n",
        ),
        "nl": (
            "Ruche: kies een nieuw wachtwoord",
            "Hallo,\n\n"
            "U hebt een nieuw wachtwoord voor uw kluis gevraagd. Kies het op deze pagina vóór {until} "
            "(de link werkt maar één keer):\n{site}/password-reset/{token}\n\n"
            "Hebt u niets gevraagd? Negeer dit bericht dan: uw wachtwoord blijft hetzelfde.\n\n"
            "Het Ruche-team\n",
        ),
        "en": (
            "Ruche: choose a new password",
            "Hello,\n\n"
            "You asked for a new password for your vault. Choose it on this page before {until} (the link works "
            "once):\n{site}/password-reset/{token}\n\n"
            "If you did not ask, ignore this message: your password stays as it is.\n\n"
            "The Ruche team\n",
        ),
    },
}


def mail(template: str, *, to: str, language: str, **values: Any) -> dict[str, Any]:
    """A mail to store with the change that calls for it."""
    return templated_mail(TEMPLATES, template, to=to, language=language, **values)
