// An identity platform we did not write: npm `oidc-provider` (an OpenID Certified OP), set up as a
// real platform would be for the app, not shaped like the reference server:
//   - its own endpoint paths (/auth, /token, /me, /jwks, /token/revocation), found by discovery;
//   - ID tokens signed with the algorithm given on the command line (RS256, PS256, ES256 or EdDSA),
//     with a key set holding keys of several types, the RSA key without the optional `alg`;
//   - claims released from userinfo only, under their standard names (given_name, birthdate,
//     gender "other": members the app must tolerate);
//   - refresh tokens only for `offline_access` (the library's default), access tokens short-lived;
//   - token introspection for the service API's own confidential client (`shiye-service`).
// Usage: node oidc-provider.mjs ALG ACCESS_TTL_SECS   (the package folder in OIDC_PROVIDER_DIR)
// Prints "issuer http://127.0.0.1:PORT" once it listens; stops when stdin closes.
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const alg = process.argv[2] ?? 'RS256';
const accessTtl = Number(process.argv[3] ?? 60);
const { default: Provider } = await import(pathToFileURL(join(process.env.OIDC_PROVIDER_DIR, 'lib/index.js')));

const jwk = (type, options, extra) => ({ ...generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }), ...extra });
const keys = [
  jwk('rsa', { modulusLength: 2048 }, { kid: 'rsa-1', use: 'sig' }),
  jwk('ec', { namedCurve: 'P-256' }, { kid: 'ec-1', alg: 'ES256', use: 'sig' }),
  jwk('ed25519', {}, { kid: 'ed-1', use: 'sig' }),
];

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'shiye-app',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://127.0.0.1/shiye/oauth/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    id_token_signed_response_alg: alg,
  }, {
    // The service API's own client, with which it introspects the app's access tokens (RFC 7662).
    client_id: 'shiye-service',
    client_secret: process.env.INTROSPECTION_SECRET ?? 'interop-introspection-secret',
    redirect_uris: [],
    grant_types: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'] },
  scopes: ['openid', 'offline_access'],
  claims: { openid: ['sub'], profile: ['name', 'given_name', 'family_name', 'birthdate', 'gender'] },
  conformIdTokenClaims: true,
  // Expiry exactly at `exp` (the default tolerates 15 s), so the test sees a token lapse.
  clockTolerance: 0,
  features: { devInteractions: { enabled: true }, revocation: { enabled: true }, introspection: { enabled: true } },
  ttl: { AccessToken: accessTtl, IdToken: 600, RefreshToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, name: '张三', given_name: '三', family_name: '张', birthdate: '1990-01-01', gender: 'other' };
      },
    };
  },
});
server.on('request', provider.callback());
console.log(`issuer ${issuer}`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
