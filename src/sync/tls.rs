//! TLS to the team's server, as psql does it (libpq's `sslmode`):
//!
//! - `sslmode=prefer` (the default): TLS when the server offers it, plain
//!   otherwise; `require`: TLS or no connection; `disable`: never.
//! - The server's certificate is checked against a root certificate when
//!   there is one (`PGSSLROOTCERT`, else `~/.postgresql/root.crt`), as libpq
//!   does: the chain must lead to it. `sslmode=verify-full` also checks the
//!   host name; `verify-ca` and `verify-full` refuse to connect without a
//!   root certificate. Without one, the connection is encrypted but the
//!   server is not authenticated (libpq's `prefer` and `require`).
//! - A Unix socket never uses TLS (the server does not offer it there).

use std::path::PathBuf;
use std::sync::Arc;

use postgres::config::{Host, SslMode};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::SyncError;

/// How much of the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verify {
    /// Encrypted, the server not authenticated (no root certificate).
    None,
    /// The chain leads to the root certificate.
    Chain,
    /// The chain, and the certificate names the host.
    Full,
}

/// Reads libpq's `verify-ca` / `verify-full` out of a connection string
/// (which the client library does not parse): the string with `require`
/// in their place, and the check asked for. `PGSSLMODE` counts when the
/// string names no mode.
pub fn verify_mode(url: &str) -> (String, Option<Verify>) {
    for (word, verify) in [("verify-full", Verify::Full), ("verify-ca", Verify::Chain)] {
        let pat = format!("sslmode={word}");
        if url.contains(&pat) {
            return (url.replace(&pat, "sslmode=require"), Some(verify));
        }
    }
    if !url.contains("sslmode=")
        && let Ok(mode) = std::env::var("PGSSLMODE")
    {
        let verify = match mode.as_str() {
            "verify-full" => Some(Verify::Full),
            "verify-ca" => Some(Verify::Chain),
            _ => None,
        };
        let mode = if verify.is_some() { "require" } else { mode.as_str() };
        let sep = if url.contains("://") {
            if url.contains('?') { '&' } else { '?' }
        } else {
            ' '
        };
        return (format!("{url}{sep}sslmode={mode}"), verify);
    }
    (url.to_string(), None)
}

/// Where the root certificate is: `PGSSLROOTCERT`, else
/// `~/.postgresql/root.crt` when it exists.
fn root_cert_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGSSLROOTCERT") {
        return Some(PathBuf::from(p));
    }
    let home = PathBuf::from(std::env::var_os("HOME")?);
    let p = home.join(".postgresql").join("root.crt");
    p.exists().then_some(p)
}

/// The TLS connector for a connection: `None` where TLS is not used (a
/// Unix socket, `sslmode=disable`).
pub fn connector(
    config: &postgres::Config,
    asked: Option<Verify>,
) -> Result<Option<tokio_postgres_rustls::MakeRustlsConnect>, SyncError> {
    let unix_only = config.get_hosts().iter().all(|h| matches!(h, Host::Unix(_)));
    if config.get_ssl_mode() == SslMode::Disable || unix_only {
        return Ok(None);
    }
    let roots = match root_cert_path() {
        Some(path) => Some(read_roots(&path)?),
        None if asked.is_some() => return Err(SyncError::NoRootCert),
        None => None,
    };
    let verify = match (&roots, asked) {
        (None, _) => Verify::None,
        (Some(_), Some(v)) => v,
        (Some(_), None) => Verify::Chain,
    };
    Ok(Some(make(roots, verify)?))
}

fn read_roots(path: &std::path::Path) -> Result<RootCertStore, SyncError> {
    let bad = |e: String| SyncError::Tls(format!("{}: {e}", path.display()));
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        roots
            .add(cert.map_err(|e| bad(e.to_string()))?)
            .map_err(|e| bad(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(bad("no certificate".into()));
    }
    Ok(roots)
}

/// The connector checking as much as `verify` says against `roots`.
pub fn make(
    roots: Option<RootCertStore>,
    verify: Verify,
) -> Result<tokio_postgres_rustls::MakeRustlsConnect, SyncError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain = match roots {
        Some(roots) => Some(
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| SyncError::Tls(e.to_string()))?,
        ),
        None => None,
    };
    let checker = Checker {
        chain: chain.filter(|_| verify != Verify::None),
        names: verify == Verify::Full,
        algorithms: provider.signature_verification_algorithms,
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SyncError::Tls(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(checker))
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// libpq's checks: the chain when there is a root certificate, the host
/// name only for `verify-full`; the handshake's signatures always.
#[derive(Debug)]
struct Checker {
    chain: Option<Arc<WebPkiServerVerifier>>,
    names: bool,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Checker {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.names => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_modes_become_require_and_say_what_to_check() {
        let (url, v) = verify_mode("postgresql://anna@db.example/team?sslmode=verify-full");
        assert_eq!(url, "postgresql://anna@db.example/team?sslmode=require");
        assert_eq!(v, Some(Verify::Full));
        let (url, v) = verify_mode("host=db.example user=anna sslmode=verify-ca");
        assert_eq!(url, "host=db.example user=anna sslmode=require");
        assert_eq!(v, Some(Verify::Chain));
        let (url, v) = verify_mode("host=db.example sslmode=require");
        assert_eq!((url.as_str(), v), ("host=db.example sslmode=require", None));
    }
}
