"""Microsoft's own libraries against local-entra serve --tls.

Run by MSALTests (Tests/EndToEndTests) with the virtual environment of
scripts/install-msal-test-tools.sh. Every case is one function that returns its outcome as a
short line ("token api=200", "error invalid_grant AADSTS50126"); the test asserts each case's
line. A token is never printed: only what the Heroes API answered when called with it.

Arguments: the authority host (https://127.0.0.1:PORT), hero-server's base URL, and a JSON
object of the registrations the cases use (tenant, api, confidential and public clients,
user). REQUESTS_CA_BUNDLE names local-entra's development CA, which requests (and so MSAL and
azure-identity) then trust instead of certifi's bundle.
"""

import json
import re
import sys
import traceback
import urllib.parse

import msal
import requests
from azure.identity import CertificateCredential, ClientSecretCredential

AUTHORITY_HOST, HERO_SERVER = sys.argv[1], sys.argv[2]
SETTINGS = json.loads(sys.argv[3])
TENANT = SETTINGS["tenant"]
AUTHORITY = f"{AUTHORITY_HOST}/{TENANT}"
API = SETTINGS["api"]
USER, PASSWORD = SETTINGS["username"], SETTINGS["password"]
READ = [f"{API}/Heroes.Read"]
CASES = []


def case(function):
    """Registers a case; they run in the order written."""
    CASES.append(function)
    return function


def call_api(access_token):
    """The Heroes API's status for GET /api/heroes/ with the token."""
    response = requests.get(f"{HERO_SERVER}/api/heroes/", headers={"Authorization": f"Bearer {access_token}"}, timeout=10)
    return response.status_code


def outcome(result):
    """A token result as a line: the API's answer, or MSAL's error and AADSTS codes."""
    if "access_token" in result:
        return f"token api={call_api(result['access_token'])}"
    codes = " ".join(f"AADSTS{code}" for code in result.get("error_codes", []))
    return f"error {result.get('error')} {codes}".strip()


def field(name, html):
    """A hidden form field's value on one of local-entra's pages."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    if not match:
        raise AssertionError(f"no {name} field on the page")
    return match.group(1)


def confidential():
    return msal.ConfidentialClientApplication(
        SETTINGS["confidentialClient"], client_credential=SETTINGS["secret"], authority=AUTHORITY, instance_discovery=False
    )


class PortKeepingSession(requests.Session):
    """MSAL Python makes the user-realm lookup before a password grant at
    https://{host name}/common/userrealm/..., dropping the authority's port (msal/authority.py,
    user_realm_discovery), so against local-entra on any port but 443 it would ask port 443.
    This session, given to MSAL as its http_client, puts the authority's port back."""

    AUTHORITY_URL = urllib.parse.urlsplit(AUTHORITY_HOST)

    def request(self, method, url, *args, **kwargs):
        parts = urllib.parse.urlsplit(url)
        if parts.hostname == self.AUTHORITY_URL.hostname and parts.port is None and self.AUTHORITY_URL.port:
            url = parts._replace(netloc=self.AUTHORITY_URL.netloc).geturl()
        return super().request(method, url, *args, **kwargs)


# One public client application for the cases that share its token cache (accounts, silent).
PUBLIC = msal.PublicClientApplication(
    SETTINGS["publicClient"], authority=AUTHORITY, instance_discovery=False, http_client=PortKeepingSession()
)


@case
def client_credentials_secret():
    return outcome(confidential().acquire_token_for_client(scopes=[f"{API}/.default"]))


@case
def ropc():
    return outcome(PUBLIC.acquire_token_by_username_password(USER, PASSWORD, scopes=READ))


@case
def accounts_and_silent_refresh():
    accounts = PUBLIC.get_accounts(username=USER)
    if len(accounts) != 1:
        return f"accounts={len(accounts)}"
    # force_refresh: the refresh token, not the cached access token.
    result = PUBLIC.acquire_token_silent(READ, account=accounts[0], force_refresh=True)
    return f"account={accounts[0]['home_account_id']} " + (outcome(result) if result else "no result")


@case
def device_code():
    flow = PUBLIC.initiate_device_flow(scopes=READ)
    if "user_code" not in flow:
        return f"error {flow.get('error')}"
    # The user's part, on the verification page, as local-entra's forms ask it.
    browser = requests.Session()
    page = browser.get(flow["verification_uri"], timeout=10)
    signed_in = browser.post(
        flow["verification_uri"],
        data={
            "csrf_token": field("csrf_token", page.text), "action": "signin", "user_code": flow["user_code"],
            "username": USER, "password": PASSWORD,
        },
        timeout=10,
    )
    browser.post(
        flow["verification_uri"],
        data={"csrf_token": field("csrf_token", signed_in.text), "action": "approve", "user_code": flow["user_code"]},
        timeout=10,
    )
    return outcome(PUBLIC.acquire_token_by_device_flow(flow))


@case
def auth_code_pkce():
    flow = PUBLIC.initiate_auth_code_flow(READ, redirect_uri=SETTINGS["redirectURI"])
    browser = requests.Session()
    page = browser.get(flow["auth_uri"], allow_redirects=False, timeout=10)
    action = flow["auth_uri"].split("?", 1)[0]
    form = {"request_id": field("request_id", page.text), "csrf_token": field("csrf_token", page.text)}
    answer = browser.post(action, data={**form, "action": "signin", "username": USER, "password": PASSWORD}, allow_redirects=False, timeout=10)
    if answer.status_code == 200:
        answer = browser.post(action, data={**form, "action": "consent"}, allow_redirects=False, timeout=10)
    location = answer.headers.get("Location", "")
    if not location.startswith(SETTINGS["redirectURI"]):
        return f"no redirect to the client (status {answer.status_code})"
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    # MSAL checks state, and the ID token's nonce, then redeems the code with the PKCE verifier.
    return outcome(PUBLIC.acquire_token_by_auth_code_flow(flow, query))


@case
def azure_identity_client_secret():
    credential = ClientSecretCredential(
        TENANT, SETTINGS["confidentialClient"], SETTINGS["secret"], authority=AUTHORITY_HOST, disable_instance_discovery=True
    )
    return f"token api={call_api(credential.get_token(f'{API}/.default').token)}"


def certificate_pem():
    """The certificate client's PEM: its certificate, then its private key."""
    with open(SETTINGS["certificateFile"]) as file:
        text = file.read()
    certificate = text[: text.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")] + "\n"
    return certificate, text[len(certificate):].strip() + "\n"


@case
def client_credentials_certificate():
    # MSAL signs a client assertion with the key and names the certificate by its thumbprints.
    certificate, private_key = certificate_pem()
    application = msal.ConfidentialClientApplication(
        SETTINGS["certificateClient"],
        client_credential={"private_key": private_key, "public_certificate": certificate},
        authority=AUTHORITY,
        instance_discovery=False,
    )
    return outcome(application.acquire_token_for_client(scopes=[f"{API}/.default"]))


@case
def azure_identity_certificate():
    credential = CertificateCredential(
        TENANT, SETTINGS["certificateClient"], certificate_path=SETTINGS["certificateFile"],
        authority=AUTHORITY_HOST, disable_instance_discovery=True,
    )
    return f"token api={call_api(credential.get_token(f'{API}/.default').token)}"


@case
def on_behalf_of():
    # The user signs in to the middle tier (a token whose audience is the middle tier), which
    # then asks, as itself, for a token to the Heroes API on the user's behalf.
    user = PUBLIC.acquire_token_by_username_password(USER, PASSWORD, scopes=[SETTINGS["middleTierScope"]])
    if "access_token" not in user:
        return "user " + outcome(user)
    middle = msal.ConfidentialClientApplication(
        SETTINGS["middleTier"], client_credential=SETTINGS["middleTierSecret"], authority=AUTHORITY, instance_discovery=False
    )
    return outcome(middle.acquire_token_on_behalf_of(user["access_token"], scopes=READ))


@case
def ropc_wrong_password():
    return outcome(PUBLIC.acquire_token_by_username_password(USER, PASSWORD + "-wrong", scopes=READ))


@case
def ropc_unknown_user():
    return outcome(PUBLIC.acquire_token_by_username_password("nobody@localentra.dev", PASSWORD, scopes=READ))


def main():
    failed = 0
    for function in CASES:
        try:
            line = function()
        except Exception as error:  # a case that raised is reported, and the others still run
            failed += 1
            frame = traceback.extract_tb(error.__traceback__)[-1]
            line = f"raised {type(error).__name__} at line {frame.lineno}"
        print(f"CASE {function.__name__}: {line}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
