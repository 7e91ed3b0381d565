//! `GET /api/v1/me`: the person's identity and records.

use crate::auth::Subject;
use crate::error::Error;
use crate::state::AppState;
use crate::{persons, records};
use axum::extract::State;
use axum::Json;
use shiye_core::api::Profile;

pub async fn me(State(state): State<AppState>, Subject(subject): Subject) -> Result<Json<Profile>, Error> {
    let user = persons::userinfo(&state.db, &state.seal, &subject).await?.ok_or(Error::InvalidToken)?;
    let (records, _) = records::load(&mut *state.db.acquire().await?, &state.seal, &subject).await?;
    Ok(Json(Profile { user, records }))
}
