"""A relying party we did not write, PyPI `oic` (pyoidc, OpenID Certified), logging in to the
reference provider as a public client: discovery and the provider's keys, authorization code with
PKCE, state and nonce, the token response and its ID token verified by pyoidc (RS256), userinfo,
a refresh, and revocation (pyoidc has no RFC 7009 call: a plain form POST, as RFC 7009 §2.1 says
a public client sends it). Usage: python3 pyoidc.py ISSUER, with ID_NUMBER and PASSWORD of a seeded
person in the environment and pyoidc on PYTHONPATH. Prints "ok" when every step passed."""
import os
import re
import sys
from urllib.parse import parse_qsl, urlparse

import requests
from oic import rndstr
from oic.oic import Client
from oic.oic.message import AuthorizationResponse, RegistrationResponse
from oic.utils.authn.client import CLIENT_AUTHN_METHOD

issuer = sys.argv[1]
redirect = "http://127.0.0.1:49153/shiye/oauth/callback"
client = Client(client_id="shiye-app", client_authn_method=CLIENT_AUTHN_METHOD)
client.provider_config(issuer)
client.store_registration_info(
    RegistrationResponse(client_id="shiye-app", redirect_uris=[redirect], token_endpoint_auth_method="none")
)
client.redirect_uris = [redirect]

state, nonce = rndstr(), rndstr()
pkce, verifier = client.add_code_challenge()
args = {"response_type": "code", "scope": ["openid", "profile"], "nonce": nonce, "redirect_uri": redirect,
        "state": state, "client_id": "shiye-app", **pkce}
url = client.construct_AuthorizationRequest(request_args=args).request(client.authorization_endpoint)

# The person at the login page: its anti-CSRF token and cookie, then the form.
session = requests.Session()
page = session.get(url, allow_redirects=False)
assert page.status_code == 200, page.status_code
csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
form = dict(parse_qsl(urlparse(url).query))
form.update({"id_number": os.environ["ID_NUMBER"], "password": os.environ["PASSWORD"], "csrf": csrf})
sent = session.post(client.authorization_endpoint, data=form, allow_redirects=False)
assert sent.status_code == 303, sent.status_code
answer = client.parse_response(AuthorizationResponse, info=urlparse(sent.headers["location"]).query,
                               sformat="urlencoded")
assert answer["state"] == state

tokens = client.do_access_token_request(
    state=state, authn_method="",
    request_args={"code": answer["code"], "redirect_uri": redirect, "code_verifier": verifier,
                  "client_id": "shiye-app"})
id_token = tokens["id_token"]
assert id_token["nonce"] == nonce and id_token["aud"] == ["shiye-app"], id_token.to_dict()
assert id_token.jws_header["alg"] == "RS256", id_token.jws_header
info = client.do_user_info_request(state=state, method="GET")
assert info["sub"] == id_token["sub"] and info.get("name"), info.to_dict()

refreshed = client.do_access_token_refresh(state=state, request_args={"client_id": "shiye-app"})
assert refreshed["access_token"] != tokens["access_token"], "a new access token"

revoke = requests.post(client.provider_info["revocation_endpoint"],
                       data={"token": refreshed["refresh_token"], "token_type_hint": "refresh_token",
                             "client_id": "shiye-app"})
assert revoke.status_code == 200, revoke.status_code
after = requests.get(client.userinfo_endpoint, headers={"Authorization": "Bearer " + refreshed["access_token"]})
assert after.status_code == 401, after.status_code
print("ok")
