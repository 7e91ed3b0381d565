//! Random secrets (codes, tokens) and how they are kept: only their SHA-256 is stored, and
//! comparisons of secrets are constant-time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::{rand_core::UnwrapErr, rngs::SysRng, Rng, RngExt};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// `N` bytes from the operating system's random source: every key, nonce, salt, token and code
/// of the server comes from here.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    UnwrapErr(SysRng).fill_bytes(&mut bytes);
    bytes
}

/// A number below `limit`, uniformly, from the same source.
pub fn random_below(limit: u32) -> u32 {
    UnwrapErr(SysRng).random_range(0..limit)
}

/// A new 256-bit secret, base64url without padding (43 characters).
pub fn new_secret() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// A new random identifier: 32 lowercase hex digits (128 bits).
pub fn new_id() -> String {
    hex(&random_bytes::<16>())
}

/// Bytes as lower-case hex digits.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An identifier that sorts by when it was made: 48 bits of Unix milliseconds, then 80 random bits
/// (the layout of a UUID v7, as 32 hex digits). Rows keyed by it are appended at the end of their
/// indexes instead of landing on a random page of a large table, which is what keeps intake flat
/// as the tables grow; 80 random bits keep it unguessable.
pub fn new_ordered_id() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default();
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
    bytes[6..].copy_from_slice(&random_bytes::<10>());
    hex(&bytes)
}

/// The stored form of a secret.
pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// PKCE S256 (RFC 7636 §4.6): does `verifier` hash to `challenge`?
pub fn pkce_s256_matches(verifier: &str, challenge: &str) -> bool {
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    computed.as_bytes().ct_eq(challenge.as_bytes()).into()
}

/// RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
pub fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_example() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(pkce_s256_matches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assert!(!pkce_s256_matches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"));
        assert!(is_valid_verifier(verifier));
        assert!(!is_valid_verifier("short"));
    }

    #[test]
    fn secrets_are_distinct_and_hash_to_32_bytes() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash(&a).len(), 32);
    }
}
