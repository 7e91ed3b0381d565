// A relying party we did not write, npm `openid-client` (OpenID Certified), logging in to the
// reference provider as any client would: discovery, authorization code + PKCE with state and
// nonce, its own ID-token checks, userinfo, refresh, revocation, and `prompt=none`.
// Usage: node openid-client.mjs ISSUER   (ID_NUMBER and PASSWORD of a seeded person in the
// environment, the package folder in OPENID_CLIENT_DIR). Prints "ok" when every step passed.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const client = await import(pathToFileURL(join(process.env.OPENID_CLIENT_DIR, 'build/index.js')));
const issuer = new URL(process.argv[2]);
const redirect_uri = 'http://127.0.0.1:49152/shiye/oauth/callback';
const insecure = { execute: [client.allowInsecureRequests] };
const config = await client.discovery(issuer, 'shiye-app', undefined, client.None(), insecure);

// The person at the provider's login page: the form's anti-CSRF token and cookie, then the form.
async function signIn(url) {
  const page = await fetch(url, { redirect: 'manual' });
  assert.equal(page.status, 200, 'the login page');
  const html = await page.text();
  const csrf = html.match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const form = new URLSearchParams(url.searchParams);
  form.set('id_number', process.env.ID_NUMBER);
  form.set('password', process.env.PASSWORD);
  form.set('csrf', csrf);
  const sent = await fetch(new URL(url.pathname, url), {
    method: 'POST', redirect: 'manual', body: form,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(sent.status, 303, 'the login redirects back');
  return new URL(sent.headers.get('location'));
}

const code_verifier = client.randomPKCECodeVerifier();
const code_challenge = await client.calculatePKCECodeChallenge(code_verifier);
const state = client.randomState();
const nonce = client.randomNonce();
const params = { redirect_uri, scope: 'openid profile', code_challenge, code_challenge_method: 'S256', state, nonce };
const back = await signIn(client.buildAuthorizationUrl(config, params));
const tokens = await client.authorizationCodeGrant(config, back, {
  pkceCodeVerifier: code_verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
});
const claims = tokens.claims();
assert.ok(claims.sub, 'the ID token names the person');
const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
assert.equal(info.sub, claims.sub);
assert.ok(info.name, 'profile releases the name');

const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'the refresh token rotates');
await client.tokenRevocation(config, refreshed.refresh_token);
await assert.rejects(client.refreshTokenGrant(config, refreshed.refresh_token), 'a revoked refresh token is refused');
await assert.rejects(client.fetchUserInfo(config, refreshed.access_token, claims.sub), 'its grant is revoked');

// prompt=none: no session at the provider, so the client hears login_required.
const silent = await fetch(client.buildAuthorizationUrl(config, { ...params, prompt: 'none' }), { redirect: 'manual' });
assert.equal(silent.status, 303);
const answer = new URL(silent.headers.get('location'));
assert.equal(answer.searchParams.get('error'), 'login_required');
assert.equal(answer.searchParams.get('state'), state);
console.log('ok');
