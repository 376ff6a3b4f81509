//! HTTPS built in: TLS from PEM files (reread on SIGHUP, the old certificate kept when
//! the new files are bad) or from certificates got by ACME (TLS-ALPN-01 answered on the
//! listening port itself), `Strict-Transport-Security` on every response, and an optional
//! plain-HTTP listener answering every request with a 308 to https.
//!
//! Handshakes run in each connection's own task (`src/http/serve.rs`), so a slow or
//! silent client never holds up the others.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{Acceptor, ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::{RootCertStore, ServerConfig};
use rustls_acme::caches::DirCache;
use rustls_acme::{AcmeConfig, AcmeState, is_tls_alpn_challenge};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::LazyConfigAcceptor;
use tokio_rustls::server::TlsStream;
use tower_http::set_header::SetResponseHeaderLayer;

use super::serve::Gate;
use crate::config::{AcmeOptions, NetOptions, ServerOptions, TlsOptions};
use crate::server::App;

/// Longest a client may take over its handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// What browsers are told: https only for this host, for a year (no subdomains: the
/// domain may have others that are not ours).
const HSTS: &str = "max-age=31536000";

/// HTTPS as configured: the TLS settings and the redirect listener, ready to serve.
pub struct Https {
    config: Arc<ServerConfig>,
    /// TLS-ALPN-01 answers (ACME only).
    challenge: Option<Arc<ServerConfig>>,
    /// The certificate files, reread on SIGHUP (files only).
    files: Option<Arc<FileCert>>,
    /// Orders and renews certificates once polled (ACME only).
    acme: Option<AcmeState<std::io::Error>>,
    /// Plain-HTTP listener answering with redirects.
    redirect: Option<TcpListener>,
    /// `https://…` base of redirects when the public URL is one.
    public_url: Option<String>,
}

impl std::fmt::Debug for Https {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Https")
            .field("acme", &self.acme.is_some())
            .field("files", &self.files.as_ref().map(|c| c.cert.display().to_string()))
            .finish_non_exhaustive()
    }
}

impl Https {
    /// Reads the certificate files (or prepares ACME) and binds the redirect listener;
    /// `None` without TLS. Errors name the flag and the file, never a key's bytes.
    pub fn new(options: &ServerOptions) -> Result<Option<Self>, String> {
        let Some(tls) = &options.tls else {
            return match options.redirect_http {
                Some(_) => Err("--redirect-http needs HTTPS: give --tls-cert and --tls-key, or --acme-domain".into()),
                None => Ok(None),
            };
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut https = match tls {
            TlsOptions::Files { cert, key } => {
                let files = Arc::new(FileCert::load(cert, key, &provider)?);
                let config = server_config(&provider, files.clone())?;
                Https { config, challenge: None, files: Some(files), acme: None, redirect: None, public_url: None }
            }
            TlsOptions::Acme(acme) => {
                let state = acme_state(acme, &provider)?;
                let config = server_config(&provider, state.resolver())?;
                let challenge = state.challenge_rustls_config_with_provider(provider.clone());
                Https {
                    config,
                    challenge: Some(challenge),
                    files: None,
                    acme: Some(state),
                    redirect: None,
                    public_url: None,
                }
            }
        };
        if let Some(addr) = options.redirect_http {
            https.redirect =
                Some(crate::server::bind(addr).map_err(|e| format!("--redirect-http: cannot listen on {addr}: {e}"))?);
        }
        https.public_url = options.public_url.clone().filter(|u| u.starts_with("https://"));
        Ok(Some(https))
    }

    /// Starts what HTTPS needs besides the handshakes on `local` (the redirect listener,
    /// the ACME orders, the SIGHUP reload), all until `shutdown` flips; returns the
    /// handshake each connection runs.
    pub fn start(self, local: SocketAddr, app: &App) -> Arc<Handshake> {
        let shutdown = app.shutdown.clone();
        if let Some(mut state) = self.acme {
            let mut stop = shutdown.clone();
            tokio::spawn(async move {
                loop {
                    tokio::select! {
                        event = state.next() => match event {
                            Some(Ok(event)) => tracing::info!(?event, "ACME"),
                            Some(Err(error)) => tracing::warn!(%error, "ACME: no certificate this time; trying again later"),
                            None => return,
                        },
                        _ = stop.changed() => return,
                    }
                }
            });
        }
        #[cfg(unix)]
        if let Some(files) = self.files {
            tokio::spawn(reload_on_hangup(files, shutdown.clone()));
        }
        if let Some(redirect) = self.redirect {
            let limits = (app.options.net.clone(), app.gate.clone());
            tokio::spawn(redirect_http(redirect, local.port(), self.public_url, limits, shutdown));
        }
        Arc::new(Handshake { config: self.config, challenge: self.challenge })
    }
}

/// `Strict-Transport-Security` on every response of `router`.
pub fn with_hsts(router: Router) -> Router {
    router.layer(SetResponseHeaderLayer::if_not_present(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static(HSTS),
    ))
}

fn server_config(
    provider: &Arc<CryptoProvider>,
    resolver: Arc<dyn ResolvesServerCert>,
) -> Result<Arc<ServerConfig>, String> {
    let mut config = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_no_client_auth()
        .with_cert_resolver(resolver);
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn acme_state(acme: &AcmeOptions, provider: &Arc<CryptoProvider>) -> Result<AcmeState<std::io::Error>, String> {
    let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    if let Some(ca) = &acme.directory_ca {
        let fail = |e: &dyn std::fmt::Display| format!("--acme-directory-ca {}: {e}", ca.display());
        let certs = read_certs(ca).map_err(|e| fail(&e))?;
        for cert in certs {
            roots.add(cert).map_err(|e| fail(&e))?;
        }
    }
    let client = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    std::fs::create_dir_all(&acme.cache).map_err(|e| format!("--acme-cache {}: {e}", acme.cache.display()))?;
    Ok(AcmeConfig::new_with_client_config(&acme.domains, Arc::new(client))
        .contact(&acme.contacts)
        .directory(&acme.directory)
        .cache(DirCache::new(acme.cache.clone()))
        .state())
}

/// Every certificate of a PEM file; an error when there is none.
fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| pem_error(e, "certificate"))?;
    if certs.is_empty() {
        return Err("no certificate in it (PEM \"BEGIN CERTIFICATE\")".into());
    }
    Ok(certs)
}

/// A PEM error in words that quote nothing of the file (it may be a private key).
fn pem_error(e: rustls::pki_types::pem::Error, what: &str) -> String {
    use rustls::pki_types::pem::Error;
    match e {
        Error::Io(e) => e.to_string(),
        Error::NoItemsFound => format!("no {what} in it (PEM)"),
        _ => format!("not a PEM {what} file"),
    }
}

/// The certificate and key read from files, swapped whole on a good reload.
#[derive(Debug)]
struct FileCert {
    cert: PathBuf,
    key: PathBuf,
    provider: Arc<CryptoProvider>,
    current: RwLock<Arc<CertifiedKey>>,
}

impl FileCert {
    fn load(cert: &Path, key: &Path, provider: &Arc<CryptoProvider>) -> Result<Self, String> {
        let current = RwLock::new(read_pair(cert, key, provider)?);
        Ok(FileCert { cert: cert.to_owned(), key: key.to_owned(), provider: provider.clone(), current })
    }

    /// Rereads both files; keeps serving the old pair when they are bad.
    fn reload(&self) -> Result<(), String> {
        let pair = read_pair(&self.cert, &self.key, &self.provider)?;
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = pair;
        Ok(())
    }
}

impl ResolvesServerCert for FileCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone())
    }
}

/// A certificate chain and its key, checked to belong together.
fn read_pair(cert: &Path, key: &Path, provider: &CryptoProvider) -> Result<Arc<CertifiedKey>, String> {
    let chain = read_certs(cert).map_err(|e| format!("--tls-cert {}: {e}", cert.display()))?;
    let key_fail = |e: String| format!("--tls-key {}: {e}", key.display());
    let der = PrivateKeyDer::from_pem_file(key).map_err(|e| key_fail(pem_error(e, "private key")))?;
    let signing = provider
        .key_provider
        .load_private_key(der)
        .map_err(|_| key_fail("not a private key this server can use (RSA, ECDSA P-256/P-384 or Ed25519)".into()))?;
    let pair = CertifiedKey::new(chain, signing);
    pair.keys_match().map_err(|_| {
        format!("--tls-key {} is not the key of the certificate in --tls-cert {}", key.display(), cert.display())
    })?;
    Ok(Arc::new(pair))
}

/// Rereads the certificate files on every SIGHUP until `shutdown` flips.
#[cfg(unix)]
async fn reload_on_hangup(files: Arc<FileCert>, mut shutdown: watch::Receiver<bool>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else {
        tracing::warn!("cannot listen for SIGHUP; a new TLS certificate needs a restart");
        return;
    };
    loop {
        tokio::select! {
            Some(()) = hangups.recv() => {
                let reread = files.clone();
                match tokio::task::spawn_blocking(move || reread.reload()).await {
                    Ok(Ok(())) => tracing::info!(cert = %files.cert.display(), "SIGHUP: TLS certificate reloaded"),
                    Ok(Err(why)) => tracing::warn!(%why, "SIGHUP: TLS certificate not reloaded; serving the previous one"),
                    Err(_) => {}
                }
            }
            _ = shutdown.changed() => return,
        }
    }
}

/// The configs a handshake picks from.
pub struct Handshake {
    config: Arc<ServerConfig>,
    challenge: Option<Arc<ServerConfig>>,
}

impl Handshake {
    /// The TLS stream within [`HANDSHAKE_TIMEOUT`]; `None` after answering an ACME
    /// validation (which carries no HTTP) or when the handshake fails.
    pub async fn run_timed<IO>(&self, io: IO, peer: SocketAddr) -> Option<TlsStream<IO>>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        match tokio::time::timeout(HANDSHAKE_TIMEOUT, self.run(io)).await {
            Ok(Ok(tls)) => tls,
            Ok(Err(e)) => {
                tracing::debug!(%peer, error = %e, "TLS handshake failed");
                None
            }
            Err(_) => {
                tracing::debug!(%peer, "TLS handshake timed out");
                None
            }
        }
    }

    async fn run<IO>(&self, tcp: IO) -> std::io::Result<Option<TlsStream<IO>>>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        let start = LazyConfigAcceptor::new(Acceptor::default(), tcp).await?;
        if let Some(challenge) = &self.challenge
            && is_tls_alpn_challenge(&start.client_hello())
        {
            tracing::info!("ACME: answering a TLS-ALPN-01 validation");
            let mut tls = start.into_stream(challenge.clone()).await?;
            tls.shutdown().await?;
            return Ok(None);
        }
        Ok(Some(start.into_stream(self.config.clone()).await?))
    }
}

/// Where a redirect goes: the public URL when it is https, else the host asked for on
/// the TLS port.
#[derive(Debug, Clone)]
struct Target {
    https_port: u16,
    public_url: Option<String>,
}

/// Plain HTTP: `/healthz` answers (probes need no certificate); everything else gets a
/// 308 to the same path over https. The main listener's timeouts and connection caps
/// apply (one gate for both).
async fn redirect_http(
    listener: TcpListener,
    https_port: u16,
    public_url: Option<String>,
    (net, gate): (NetOptions, Arc<Gate>),
    shutdown: watch::Receiver<bool>,
) {
    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .fallback(redirect)
        .with_state(Target { https_port, public_url });
    if let Err(e) = super::serve::serve(listener, router, None, net, gate, shutdown).await {
        tracing::warn!(error = %e, "the HTTP redirect listener stopped");
    }
}

async fn redirect(State(target): State<Target>, headers: HeaderMap, uri: Uri) -> Response {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let base = match &target.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()).and_then(host_name) else {
                return (StatusCode::BAD_REQUEST, "a Host header is needed to redirect to https\n").into_response();
            };
            match target.https_port {
                443 => format!("https://{host}"),
                port => format!("https://{host}:{port}"),
            }
        }
    };
    match HeaderValue::try_from(format!("{base}{path}")) {
        Ok(location) => (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response(),
        Err(_) => (StatusCode::BAD_REQUEST, "bad request target\n").into_response(),
    }
}

/// The host of a `Host` header without its port; `None` unless it is a plain name or
/// address (no user info, path or other characters that would change the URL).
fn host_name(host: &str) -> Option<&str> {
    let name = match host.strip_prefix('[') {
        Some(v6) => &host[..v6.find(']')? + 2],
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':');
    (!name.is_empty() && name.chars().all(allowed)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::host_name;

    #[test]
    fn the_host_loses_its_port_and_odd_hosts_are_refused() {
        assert_eq!(host_name("ttx.example.org:8080"), Some("ttx.example.org"));
        assert_eq!(host_name("ttx.example.org"), Some("ttx.example.org"));
        assert_eq!(host_name("[::1]:80"), Some("[::1]"));
        assert_eq!(host_name("[::1]"), Some("[::1]"));
        assert_eq!(host_name("evil.org/x"), None);
        assert_eq!(host_name("user@evil.org"), None);
        assert_eq!(host_name(""), None);
        assert_eq!(host_name("[::1"), None);
    }
}
