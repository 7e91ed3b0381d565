//! Sealing of everything the app keeps on disk: XChaCha20-Poly1305 under the installation's data
//! key (held in the OS keyring), with a fresh random 192-bit nonce per record and the record's own
//! key as associated data, so a sealed value cannot be moved to another record unnoticed.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::{rand_core::UnwrapErr, rngs::SysRng, Rng};

const NONCE_LEN: usize = 24;

/// `N` bytes from the operating system's random source: the app's keys, nonces and login secrets.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    UnwrapErr(SysRng).fill_bytes(&mut bytes);
    bytes
}

#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    pub fn new(key: &[u8; 32]) -> Self {
        Sealer { cipher: XChaCha20Poly1305::new(key.into()) }
    }

    /// A new random key, for a first start.
    pub fn generate_key() -> [u8; 32] {
        random_bytes()
    }

    /// nonce ‖ ciphertext+tag.
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let nonce = random_bytes::<NONCE_LEN>();
        let ct = self
            .cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: plaintext, aad })
            // Encryption fails only for inputs beyond 256 GiB; a record is a few KB.
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(ct);
        out
    }

    /// The plaintext, or `None` if the record was altered, moved or sealed under another key.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        let nonce = XNonce::try_from(nonce).ok()?;
        self.cipher.decrypt(&nonce, Payload { msg: ct, aad }).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper_detection() {
        let s = Sealer::new(&Sealer::generate_key());
        let sealed = s.seal(b"draft:a", "身份证 110105198503150019".as_bytes());
        assert!(!sealed.windows(18).any(|w| w == b"110105198503150019"), "no plaintext in the sealed bytes");
        assert_eq!(s.open(b"draft:a", &sealed).unwrap(), "身份证 110105198503150019".as_bytes());
        assert!(s.open(b"draft:b", &sealed).is_none(), "bound to its record");
        let mut bad = sealed.clone();
        bad[30] ^= 1;
        assert!(s.open(b"draft:a", &bad).is_none());
        assert!(Sealer::new(&Sealer::generate_key()).open(b"draft:a", &sealed).is_none());
        assert_ne!(s.seal(b"x", b"same"), s.seal(b"x", b"same"), "fresh nonce each time");
    }
}
