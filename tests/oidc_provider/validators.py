"""The claims the test provider puts in its ID tokens, as a council's directory would."""

from oauth2_provider.oauth2_validators import OAuth2Validator

#: People whose sign-in at the provider counts as multi-factor (their ``amr`` says "mfa").
MFA_USERNAMES = {"mfa-person"}


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": user.get_full_name(),
            "amr": ["pwd", "mfa"] if user.username in MFA_USERNAMES else ["pwd"],
        }
