//! Every answer the server tests receive, checked against the contract the server publishes:
//! a layer around every route validates each JSON body against the schema the OpenAPI document
//! gives for its path, method and status (with `jsonschema`, an implementation of JSON Schema
//! 2020-12 we did not write), and a success the document does not list is a violation too. A
//! violation replaces the answer with a 500 naming it, so the test that received it fails.

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// (path, method, status) → the compiled schema, or `None` when the document names none.
type Compiled = HashMap<(String, String, u16), Option<Arc<jsonschema::Validator>>>;

pub struct Checker {
    doc: Value,
    compiled: Mutex<Compiled>,
}

impl Checker {
    pub fn new() -> Arc<Self> {
        Arc::new(Checker {
            doc: shiye_server::openapi::build("http://contract.check"),
            compiled: Default::default(),
        })
    }

    /// The schema of one documented answer: `Err` when a success is not documented at all.
    fn validator(
        &self,
        path: &str,
        method: &str,
        status: u16,
    ) -> Result<Option<Arc<jsonschema::Validator>>, String> {
        let key = (path.to_string(), method.to_string(), status);
        if let Some(v) = self.compiled.lock().unwrap().get(&key) {
            return Ok(v.clone());
        }
        let answer = &self.doc["paths"][path][method]["responses"][status.to_string()];
        if answer.is_null() && (200..300).contains(&status) {
            return Err(format!("{method} {path} answered {status}, which the contract does not list"));
        }
        let schema = &answer["content"]["application/json"]["schema"];
        let compiled = if schema.is_null() {
            None
        } else {
            let mut whole = schema.clone();
            whole["components"] = self.doc["components"].clone();
            let v = jsonschema::validator_for(&whole)
                .map_err(|e| format!("{method} {path} {status}: bad schema: {e}"))?;
            Some(Arc::new(v))
        };
        self.compiled.lock().unwrap().insert(key, compiled.clone());
        Ok(compiled)
    }
}

fn violation(what: String) -> Response {
    eprintln!("contract violation: {what}");
    (StatusCode::INTERNAL_SERVER_ERROR, format!("contract violation: {what}")).into_response()
}

pub async fn check(State(checker): State<Arc<Checker>>, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_ascii_lowercase();
    let Some(path) = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()) else {
        return next.run(req).await;
    };
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    let validator = match checker.validator(&path, &method, status) {
        Ok(v) => v,
        Err(e) => return violation(e),
    };
    let json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    let Some(validator) = validator.filter(|_| json) else { return resp };
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return violation(format!("{method} {path} {status}: unreadable body"));
    };
    let Ok(value) = serde_json::from_slice::<Value>(&bytes) else {
        return violation(format!("{method} {path} {status}: not JSON"));
    };
    let errors: Vec<String> =
        validator.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    if !errors.is_empty() {
        return violation(format!("{method} {path} {status}: {} — answer {value}", errors.join("; ")));
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The router with the check around every route.
pub fn layer(router: axum::Router, checker: Arc<Checker>) -> axum::Router {
    router.layer(axum::middleware::from_fn_with_state(checker, check))
}
