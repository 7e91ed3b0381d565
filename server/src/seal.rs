//! Personal data at rest: 证件号码, names, phone numbers, birth dates, benefit card numbers, the
//! answers of applications and the SMS texts are stored sealed (XChaCha20-Poly1305, a fresh
//! random nonce per value), and a person is found by a keyed hash (HMAC-SHA-256) of their
//! 证件号码 or phone, never by the value itself. The key lives in a file outside the database
//! (PIPL art. 51, GB/T 35273 §6.3: sensitive personal information encrypted in storage).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;

/// What a sealed value starts with; nothing stored in plain text does.
const PREFIX: &str = "sealed:v1:";

/// The server's sealing and lookup keys, both derived from one secret.
pub struct Sealer {
    aead: XChaCha20Poly1305,
    lookup_key: [u8; 32],
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

/// What a lookup hash is of: the same number under two purposes hashes differently.
#[derive(Debug, Clone, Copy)]
pub enum Lookup {
    IdNumber,
    Phone,
}

fn derive(secret: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl Sealer {
    pub fn new(secret: &[u8; 32]) -> Sealer {
        let key = derive(secret, b"shiye seal v1");
        Sealer { aead: XChaCha20Poly1305::new(&key.into()), lookup_key: derive(secret, b"shiye lookup v1") }
    }

    /// Reads the key file, or makes one (32 random bytes, base64, readable by the owner only).
    pub fn load_or_create(path: &Path) -> crate::Result<Sealer> {
        let secret = match std::fs::read_to_string(path) {
            Ok(text) => STANDARD
                .decode(text.trim())
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
                .ok_or_else(|| crate::Error::Config(format!("{}: not a sealing key", path.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let secret = crate::secrets::random_bytes::<32>();
                write_private(path, &STANDARD.encode(secret))?;
                secret
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Sealer::new(&secret))
    }

    /// `value` sealed with a fresh nonce.
    pub fn seal(&self, value: &str) -> String {
        let nonce = crate::secrets::random_bytes::<24>();
        let sealed = self.aead.encrypt(&XNonce::from(nonce), value.as_bytes()).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(sealed);
        format!("{PREFIX}{}", STANDARD.encode(out))
    }

    /// The value of a stored column: opened if sealed, as is if stored before sealing began
    /// (the start-up pass seals those).
    pub fn open(&self, stored: &str) -> crate::Result<String> {
        let Some(b64) = stored.strip_prefix(PREFIX) else { return Ok(stored.to_string()) };
        let bytes = STANDARD.decode(b64).map_err(|_| crate::Error::Sealed)?;
        if bytes.len() < 24 {
            return Err(crate::Error::Sealed);
        }
        let (nonce, sealed) = bytes.split_at(24);
        let nonce = XNonce::try_from(nonce).map_err(|_| crate::Error::Sealed)?;
        let plain = self.aead.decrypt(&nonce, sealed).map_err(|_| crate::Error::Sealed)?;
        String::from_utf8(plain).map_err(|_| crate::Error::Sealed)
    }

    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }

    /// The keyed hash a person is looked up by.
    pub fn lookup(&self, kind: Lookup, value: &str) -> Vec<u8> {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.lookup_key).unwrap_or_else(|_| unreachable!());
        mac.update(match kind {
            Lookup::IdNumber => b"id\0",
            Lookup::Phone => b"phone\0",
        });
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

/// Seals what a database written before sealing began still holds in plain text, in one write
/// transaction; on SQLite the file is then rewritten (VACUUM) and the write-ahead log copied into
/// it and emptied (a TRUNCATE checkpoint), so no page of the file or of the log keeps an old value
/// however the server stops next.
/// Returns how many values were sealed.
pub async fn upgrade(db: &crate::db::Pool, seal: &Sealer) -> crate::Result<usize> {
    use sqlx::Row;
    let mut tx = crate::db::write(db).await?;
    let mut sealed = 0;
    let persons = sqlx::query(
        "SELECT subject, name, id_number, phone, birth_date FROM persons WHERE id_lookup IS NULL",
    )
    .fetch_all(&mut *tx)
    .await?;
    for p in persons {
        let id_number: String = p.get("id_number");
        let phone: String = p.get("phone");
        sqlx::query(
            "UPDATE persons SET name = $1, id_number = $2, phone = $3, birth_date = $4, id_lookup = $5, phone_lookup = $6
             WHERE subject = $7",
        )
        .bind(seal.seal(p.get("name")))
        .bind(seal.seal(&id_number))
        .bind(seal.seal(&phone))
        .bind(seal.seal(p.get("birth_date")))
        .bind(seal.lookup(Lookup::IdNumber, &id_number))
        .bind(seal.lookup(Lookup::Phone, &phone))
        .bind(p.get::<String, _>("subject"))
        .execute(&mut *tx)
        .await?;
        sealed += 4;
    }
    // (table, key column, sealed column)
    for (table, key, column) in [
        ("records", "subject", "benefit_card"),
        ("records", "subject", "registration_json"),
        ("applications", "id", "answers_json"),
        ("sms_outbox", "id", "text"),
    ] {
        // Names from the list above, never from input.
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {key} AS k, {column} AS v FROM {table} WHERE {column} IS NOT NULL AND {column} NOT LIKE 'sealed:%'"
        )))
        .fetch_all(&mut *tx)
        .await?;
        for r in rows {
            let update = format!("UPDATE {table} SET {column} = $1 WHERE {key} = $2");
            let q = sqlx::query(sqlx::AssertSqlSafe(update)).bind(seal.seal(r.get("v")));
            // The key column is text in one table and an integer in another.
            let q = match r.try_get::<String, _>("k") {
                Ok(k) => q.bind(k),
                Err(_) => q.bind(r.get::<i64, _>("k")),
            };
            q.execute(&mut *tx).await?;
            sealed += 1;
        }
    }
    tx.commit().await?;
    if sealed > 0 && !crate::db::is_postgres(db) {
        sqlx::query("VACUUM").execute(db).await?;
        crate::db::checkpoint(db).await?;
    }
    Ok(sealed)
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_with_the_key_only_and_differ_each_time() {
        let s = Sealer::new(&[7; 32]);
        let a = s.seal("110105198503150011");
        assert!(Sealer::is_sealed(&a));
        assert!(!a.contains("1101051985"));
        assert_ne!(a, s.seal("110105198503150011"), "a fresh nonce each time");
        assert_eq!(s.open(&a).unwrap(), "110105198503150011");
        assert!(Sealer::new(&[8; 32]).open(&a).is_err(), "another key cannot open it");
        assert_eq!(s.open("plain").unwrap(), "plain", "values from before sealing read as they are");
        assert_eq!(s.lookup(Lookup::Phone, "17000000001"), s.lookup(Lookup::Phone, "17000000001"));
        assert_ne!(s.lookup(Lookup::Phone, "17000000001"), s.lookup(Lookup::IdNumber, "17000000001"));
    }

    #[test]
    fn a_key_file_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k/server.key");
        let sealed = Sealer::load_or_create(&path).unwrap().seal("x");
        assert_eq!(Sealer::load_or_create(&path).unwrap().open(&sealed).unwrap(), "x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, "nonsense").unwrap();
        assert!(Sealer::load_or_create(&path).is_err());
    }
}
