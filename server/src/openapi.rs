//! `GET /api/openapi.json`: the contract of the reference server as an OpenAPI 3.1 document.
//! Written by hand (no code generation, so no build-time downloads); the tests check that its
//! paths and methods are exactly the router's.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::state::AppState;

fn op(summary: &str, tag: &str, secured: Option<&str>, responses: &[(&str, &str)]) -> Value {
    let mut o = json!({
        "summary": summary,
        "tags": [tag],
        "responses": responses.iter().map(|(code, what)| (code.to_string(), json!({"description": what}))).collect::<serde_json::Map<_, _>>(),
    });
    if let Some(scheme) = secured {
        o["security"] = json!([{ scheme: [] }]);
    }
    o
}

fn json_body(schema: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn form_body(fields: &[&str]) -> Value {
    let props: serde_json::Map<_, _> =
        fields.iter().map(|f| (f.to_string(), json!({"type": "string"}))).collect();
    json!({"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": props}}}})
}

fn path_param(name: &str) -> Value {
    json!([{"name": name, "in": "path", "required": true, "schema": {"type": "string"}}])
}

pub fn build(issuer: &str) -> Value {
    let bearer = Some("bearer");
    let admin = Some("admin");
    let mut submit = op(
        "Submit a bundle (Idempotency-Key required)",
        "applications",
        bearer,
        &[
            ("201", "Accepted: application id and, per item, 办件编号 and status. A repeated request with the same key gets the first answer again, with its status (201, 409 or 422) and Idempotent-Replayed: true"),
            ("400", "Missing or malformed Idempotency-Key, malformed body"),
            ("401", "No valid access token"),
            ("409", "The person's state forbids the item (Conflict; item_pending: an item of the kind awaits a decision), or the key's first request is in flight"),
            ("422", "Field errors (ValidationFailure), or the key was used with another body"),
        ],
    );
    submit["parameters"] = json!([{"name": "Idempotency-Key", "in": "header", "required": true, "schema": {"type": "string", "maxLength": 255}}]);
    submit["requestBody"] = json_body("ApplicationSubmission");
    let mut case_file = op(
        "An item's case file: the answers as submitted (card numbers masked unless full=true, which is audited), the person's records, the history",
        "review",
        admin,
        &[("200", "CaseFile"), ("401", "No admin token"), ("404", "No such 办件编号")],
    );
    case_file["parameters"] = json!([
        {"name": "case_number", "in": "path", "required": true, "schema": {"type": "string"}},
        {"name": "full", "in": "query", "required": false, "schema": {"type": "boolean"}}
    ]);
    let mut decision = op(
        "Decide an item: start_review, approve, reject or return (reason required for the last two)",
        "review",
        admin,
        &[
            ("200", "The item's new state"),
            ("400", "Bad decision"),
            ("401", "No admin token"),
            ("404", "No such item"),
            ("409", "Already decided"),
        ],
    );
    decision["parameters"] = path_param("case_number");
    decision["requestBody"] = json_body("Decision");
    let mut one_app = op(
        "One application",
        "applications",
        bearer,
        &[("200", "Application"), ("401", "No token"), ("404", "Not found (or not yours)")],
    );
    one_app["parameters"] = path_param("id");
    let mut outbox = op(
        "Demo SMS gateway: messages sent to a person",
        "review",
        admin,
        &[("200", "Texts, newest first"), ("401", "No admin token")],
    );
    outbox["parameters"] = path_param("subject");
    let mut sms = op(
        "Send an SMS verification code to the person's phone",
        "sms",
        bearer,
        &[
            ("201", "SmsSent"),
            ("400", "Bad purpose"),
            ("401", "No token"),
            ("429", "Too frequent (Retry-After)"),
        ],
    );
    sms["requestBody"] = json_body("SmsRequest");
    let mut token = op(
        "Token endpoint: authorization_code (PKCE S256) and refresh_token grants",
        "oidc",
        None,
        &[("200", "Tokens"), ("400", "OAuth error")],
    );
    token["requestBody"] =
        form_body(&["grant_type", "code", "redirect_uri", "client_id", "code_verifier", "refresh_token"]);
    let mut revoke = op(
        "Revoke a token and its grant (RFC 7009)",
        "oidc",
        None,
        &[("200", "Revoked, or unknown"), ("400", "No token")],
    );
    revoke["requestBody"] = form_body(&["token", "token_type_hint"]);
    let mut login = op(
        "Submit the login form",
        "oidc",
        None,
        &[
            ("303", "Redirect to the client with code and state"),
            ("400", "Invalid request"),
            ("401", "Wrong credentials"),
        ],
    );
    login["requestBody"] = form_body(&[
        "id_number",
        "password",
        "client_id",
        "redirect_uri",
        "state",
        "code_challenge",
        "code_challenge_method",
        "scope",
        "nonce",
    ]);
    let object = json!({"type": "object"});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "失业一件事 reference server",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Identity provider (OpenID Connect) and service API of the 失业“一件事” reference server. Schemas are those of shiye-core's wire types."
        },
        "servers": [{"url": issuer}],
        "paths": {
            "/healthz": {"get": op("Liveness", "ops", None, &[("200", "ok")])},
            "/.well-known/openid-configuration": {"get": op("OpenID Provider metadata", "oidc", None, &[("200", "Discovery document")])},
            "/oauth/authorize": {
                "get": op("Login page (证件号码 + 密码)", "oidc", None, &[("200", "HTML login page"), ("400", "Invalid request, shown as a page")]),
                "post": login
            },
            "/oauth/token": {"post": token},
            "/oauth/userinfo": {"get": op("UserInfo", "oidc", bearer, &[("200", "Claims released by the token's scope: sub; profile: name, gender, birth_date; phone: phone; id_card: id_type, id_number"), ("401", "Invalid token")])},
            "/oauth/revoke": {"post": revoke},
            "/oauth/jwks": {"get": op("ID-token verification keys (Ed25519)", "oidc", None, &[("200", "JWK set")])},
            "/api/openapi.json": {"get": op("This document", "ops", None, &[("200", "OpenAPI 3.1")])},
            "/api/v1/me": {"get": op("The person's identity and records", "records", bearer, &[("200", "Profile"), ("401", "No token")])},
            "/api/v1/applications": {
                "get": op("The person's applications, newest first", "applications", bearer, &[("200", "Application[]"), ("401", "No token")]),
                "post": submit
            },
            "/api/v1/applications/{id}": {"get": one_app},
            "/api/v1/sms-codes": {"post": sms},
            "/api/v1/reference": {"get": op("Agencies, banks and option lists (ETag)", "reference", bearer, &[("200", "ReferenceData"), ("304", "Not modified"), ("401", "No token")])},
            "/api/admin/items": {"get": op("Items awaiting a decision", "review", admin, &[("200", "PendingItem[]"), ("401", "No admin token")])},
            "/api/admin/items/{case_number}": {"get": case_file},
            "/api/admin/items/{case_number}/decision": {"post": decision},
            "/api/admin/sms-outbox/{subject}": {"get": outbox}
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "Access token from /oauth/token"},
                "admin": {"type": "http", "scheme": "bearer", "description": "The server's admin (review) token"}
            },
            "schemas": {
                "ApplicationSubmission": {"type": "object", "required": ["schema_version", "answers"], "additionalProperties": false,
                    "properties": {"schema_version": {"type": "integer"}, "answers": {"type": "object", "required": ["bundle"], "properties": {"bundle": {"type": "string", "enum": ["job_seeking", "registration_joint", "benefit_claim_joint", "registration_change", "registration_cancel", "bank_account_change", "benefit_stop"]}}}}},
                "Decision": {"type": "object", "required": ["action"], "additionalProperties": false,
                    "properties": {"action": {"type": "string", "enum": ["start_review", "approve", "reject", "return"]}, "reason": {"type": ["string", "null"]}}},
                "SmsRequest": {"type": "object", "required": ["purpose"], "additionalProperties": false,
                    "properties": {"purpose": {"type": "string", "enum": ["benefit_stop"]}}},
                "Application": object.clone(),
                "Profile": object.clone(),
                "ReferenceData": object.clone(),
                "ValidationFailure": object
            }
        }
    })
}

pub async fn document(State(state): State<AppState>) -> Json<Value> {
    Json(build(&state.issuer))
}
