//! Server options: where to listen and store, which scenarios, and every limit.
//!
//! [`ServeArgs`] is the command line (each flag with a `TABLETOP_*` environment
//! fallback); [`ServerOptions`] is what the library takes, with defaults for tests.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::exercise::Rules;
use crate::exercise::actor::ActorConfig;

/// `tabletop serve` flags.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TABLETOP_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Folder for the SQLite event store and the generated admin token.
    #[arg(long, env = "TABLETOP_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Keep the event logs in PostgreSQL instead of the data dir's SQLite file, e.g.
    /// postgres://tabletop@db.internal/tabletop: several instances share it, each live
    /// exercise owned by one of them (docs/scale.md). The data dir still holds the admin
    /// token and the certificate cache.
    #[arg(long, env = "TABLETOP_STORE", hide_env_values = true)]
    pub store: Option<String>,
    /// With --store: the address other instances send this one's clients to (e.g.
    /// https://tabletop-2.example.org); default: http(s)://<the listening address>.
    #[arg(long, env = "TABLETOP_ADVERTISE_URL")]
    pub advertise_url: Option<String>,
    /// With --store: how long an instance's hold on an exercise lasts without renewal
    /// (renewed every third of it); another instance takes over an exercise this long
    /// after its owner stopped.
    #[arg(long, env = "TABLETOP_LEASE_MS", default_value_t = 3_000)]
    pub lease_ms: u64,
    /// Folder of scenario files (.toml, .json).
    #[arg(long, env = "TABLETOP_SCENARIOS", default_value = "./scenarios")]
    pub scenarios: PathBuf,
    /// Admin token for creating exercises; generated once and kept in the data dir when unset.
    /// Prefer --admin-token-file or the environment: the command line shows in `ps`.
    #[arg(long, env = "TABLETOP_ADMIN_TOKEN", hide_env_values = true, conflicts_with = "admin_token_file")]
    pub admin_token: Option<String>,
    /// Read the admin token from this file (trimmed), e.g. a secret mounted by systemd or Docker.
    #[arg(long, env = "TABLETOP_ADMIN_TOKEN_FILE")]
    pub admin_token_file: Option<PathBuf>,
    /// Scenario to open an exercise of at startup when no exercise is open ("" for none).
    #[arg(long, env = "TABLETOP_OPEN", default_value = "dfs-salary-tide")]
    pub open: String,
    /// Public base URL for join links and QR codes (e.g. https://tabletop.example.org);
    /// default: the address the browser used.
    #[arg(long, env = "TABLETOP_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Largest websocket message accepted, in bytes.
    #[arg(long, env = "TABLETOP_MAX_MESSAGE_BYTES", default_value_t = 64 * 1024)]
    pub max_message_bytes: usize,
    /// Longest response, in characters.
    #[arg(long, env = "TABLETOP_MAX_RESPONSE_CHARS", default_value_t = 8_000)]
    pub max_response_chars: usize,
    /// Most participants in one exercise.
    #[arg(long, env = "TABLETOP_MAX_PARTICIPANTS", default_value_t = 5_000)]
    pub max_participants: usize,
    /// Messages per second one socket may send on average (bursts of four times as many).
    #[arg(long, env = "TABLETOP_MESSAGES_PER_SECOND", default_value_t = 10.0)]
    pub messages_per_second: f64,
    /// Chromium binary for PDF exports (a path or a name on PATH); default: the first
    /// of chromium, chromium-browser, google-chrome on PATH.
    #[arg(long, env = "TABLETOP_CHROMIUM")]
    pub chromium: Option<PathBuf>,
    /// Serve `GET /metrics` without a token on this address only (e.g. 127.0.0.1:9090),
    /// and not on the main one; unset: on the main address, with the admin token.
    #[arg(long, env = "TABLETOP_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
    /// Log lines as `text` (for people) or `json` (one object a line, for collectors).
    #[arg(long, env = "TABLETOP_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(flatten)]
    pub net: NetArgs,
    #[command(flatten)]
    pub quotas: QuotaArgs,
    #[command(flatten)]
    pub tls: TlsArgs,
}

/// `tabletop serve` per-participant quotas (over all of a participant's sockets, read
/// from the log; the facilitator is exempt). The defaults fit a workshop of 200; a load
/// test answering flat out raises the first two (docs/performance.md).
#[derive(Debug, Clone, Args)]
pub struct QuotaArgs {
    /// Answers one participant may send in a minute (`rate_limited` beyond).
    #[arg(long, env = "TABLETOP_ANSWERS_PER_MINUTE", default_value_t = Rules::default().max_answers_per_minute)]
    pub answers_per_minute: usize,
    /// Answers (revisions included) one participant may send to one inject (`quota_exceeded`).
    #[arg(long, env = "TABLETOP_ANSWERS_PER_INJECT", default_value_t = Rules::default().max_answers_per_inject)]
    pub answers_per_inject: usize,
    /// Bytes of answers one participant may send in the whole exercise.
    #[arg(long, env = "TABLETOP_PARTICIPANT_ANSWER_BYTES", default_value_t = Rules::default().max_participant_answer_bytes)]
    pub participant_answer_bytes: usize,
    /// Bytes of answers one exercise may hold.
    #[arg(long, env = "TABLETOP_EXERCISE_ANSWER_BYTES", default_value_t = Rules::default().max_answer_bytes)]
    pub exercise_answer_bytes: usize,
    /// Standing improvement proposals per participant (dropped ones do not count).
    #[arg(long, env = "TABLETOP_PROPOSALS_PER_PARTICIPANT", default_value_t = Rules::default().max_proposals_per_participant)]
    pub proposals_per_participant: usize,
    /// Standing improvement proposals per group.
    #[arg(long, env = "TABLETOP_PROPOSALS_PER_GROUP", default_value_t = Rules::default().max_proposals_per_group)]
    pub proposals_per_group: usize,
}

/// `tabletop serve` connection flags: caps, trusted proxies, allowed hosts (docs/operations.md).
#[derive(Debug, Clone, Args)]
pub struct NetArgs {
    /// Open connections one client address may hold (websockets and HTTP); 0: no cap.
    /// Sized for a room of 200 behind one NAT (docs/operations.md).
    #[arg(long, env = "TABLETOP_MAX_CONNECTIONS_PER_IP", default_value_t = NetOptions::DEFAULT_PER_IP)]
    pub max_connections_per_ip: usize,
    /// Open connections in all; beyond, new ones are closed at once [default: the open-file
    /// limit less a reserve for the store and files].
    #[arg(long, env = "TABLETOP_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Successful joins one client address may make per minute; 0: no limit.
    #[arg(long, env = "TABLETOP_JOINS_PER_IP_PER_MINUTE", default_value_t = NetOptions::DEFAULT_JOINS_PER_MINUTE)]
    pub joins_per_ip_per_minute: u32,
    /// A reverse proxy's address: its requests take the client address from the last
    /// `X-Forwarded-For` entry, and its connections are not capped per address; repeatable.
    #[arg(long = "trusted-proxy", env = "TABLETOP_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpAddr>,
    /// A host name requests may be addressed to (the `Host` header) besides the
    /// --public-url's, IP addresses and localhost; repeatable. With neither, any host.
    #[arg(long = "allowed-host", env = "TABLETOP_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,
}

/// Connection limits, timeouts, trusted proxies and allowed hosts.
#[derive(Debug, Clone)]
pub struct NetOptions {
    /// Time a client has to send a request's headers (slowloris), and to send anything
    /// at all on a new connection.
    pub header_read_timeout: Duration,
    /// A connection with no bytes read or written for this long is closed (after the
    /// response in progress, if any).
    pub idle_timeout: Duration,
    /// Open connections per client address; 0: no cap.
    pub max_connections_per_ip: usize,
    /// Open connections in all; `None`: derived from the open-file limit.
    pub max_connections: Option<usize>,
    /// Successful joins per client address per minute; 0: no limit.
    pub joins_per_ip_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Host names besides the public URL's (IP literals and localhost always pass).
    pub allowed_hosts: Vec<String>,
    /// Time a websocket has, after the upgrade, to identify (a successful hello).
    pub identify_timeout: Duration,
    /// How often the server pings a websocket; two intervals without a frame close it.
    pub ping_interval: Duration,
    /// The guessing limiter's sizes.
    pub guard: GuardLimits,
}

impl NetOptions {
    /// Default of `--max-connections-per-ip`: 200 people × (1 websocket + up to 6 HTTP
    /// connections a browser opens to one host) = 1,400, rounded up.
    pub const DEFAULT_PER_IP: usize = 1_500;
    /// Default of `--joins-per-ip-per-minute`: a room of 200 joining at once, and as many
    /// rejoining after a network change, with room to spare.
    pub const DEFAULT_JOINS_PER_MINUTE: u32 = 300;
}

impl Default for NetOptions {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections_per_ip: Self::DEFAULT_PER_IP,
            max_connections: None,
            joins_per_ip_per_minute: Self::DEFAULT_JOINS_PER_MINUTE,
            trusted_proxies: Vec::new(),
            allowed_hosts: Vec::new(),
            identify_timeout: Duration::from_secs(10),
            ping_interval: Duration::from_secs(20),
            guard: GuardLimits::default(),
        }
    }
}

/// Sizes of the per-address guessing limiter (`src/http/guard.rs`): a bucket of points
/// refilled at `refill_per_second`; a failure (bad code, key or token) costs
/// `failure_cost`, a lookup (QR, join page) `lookup_cost`. An empty bucket blocks the
/// address for `base_backoff`, doubling each time it empties again, up to `max_backoff`.
#[derive(Debug, Clone)]
pub struct GuardLimits {
    /// Points when full.
    pub burst: f64,
    /// Points back per second.
    pub refill_per_second: f64,
    /// Cost of a failed identification or a 401.
    pub failure_cost: f64,
    /// Cost of a QR code or join page lookup.
    pub lookup_cost: f64,
    /// First block.
    pub base_backoff: Duration,
    /// Longest block.
    pub max_backoff: Duration,
}

impl Default for GuardLimits {
    /// 160 points, 1 back a second: 40 failures at once (a room's typos), then one every
    /// 4 s; 3,200 lookups at once (200 phones loading the join page and its code, the QR
    /// code, and all of it again after a network change, eight times over), then 20 a
    /// second. A room of 200 behind one NAT with a typo in every ten joins stays under it.
    fn default() -> Self {
        Self {
            burst: 160.0,
            refill_per_second: 1.0,
            failure_cost: 4.0,
            lookup_cost: 0.05,
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(600),
        }
    }
}

/// How log lines are written (on stderr).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line (`timestamp`, `level`, `fields`, `target`).
    Json,
}

/// Let's Encrypt's production ACME directory, the default of `--acme-directory`.
pub const LETS_ENCRYPT: &str = "https://acme-v02.api.letsencrypt.org/directory";

/// `tabletop serve` HTTPS flags (docs/deploy.md, "HTTPS built in").
#[derive(Debug, Clone, Default, Args)]
pub struct TlsArgs {
    /// Serve HTTPS with this certificate chain (PEM); reread with --tls-key on SIGHUP.
    #[arg(long, env = "TABLETOP_TLS_CERT", requires = "tls_key", conflicts_with = "acme_domains")]
    pub tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, env = "TABLETOP_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve HTTPS with a certificate for this domain got by ACME (TLS-ALPN-01 on the
    /// listening port, which must be reachable as port 443 of the domain); repeatable.
    #[arg(long = "acme-domain", env = "TABLETOP_ACME_DOMAIN", value_delimiter = ',')]
    pub acme_domains: Vec<String>,
    /// Contact address given to the ACME server (expiry notices); repeatable.
    #[arg(long = "acme-email", env = "TABLETOP_ACME_EMAIL", value_delimiter = ',', requires = "acme_domains")]
    pub acme_emails: Vec<String>,
    /// ACME directory URL; default: Let's Encrypt's production one.
    #[arg(long, env = "TABLETOP_ACME_DIRECTORY", requires = "acme_domains")]
    pub acme_directory: Option<String>,
    /// Folder keeping the ACME account and certificates; default: <data-dir>/acme.
    #[arg(long, env = "TABLETOP_ACME_CACHE", requires = "acme_domains")]
    pub acme_cache: Option<PathBuf>,
    /// Also trust this CA (PEM) for the ACME directory's own HTTPS (a test ACME server).
    #[arg(long, env = "TABLETOP_ACME_DIRECTORY_CA", requires = "acme_domains")]
    pub acme_directory_ca: Option<PathBuf>,
    /// Also listen for plain HTTP here and answer every request with a 308 to https
    /// (except /healthz, answered as is).
    #[arg(long, env = "TABLETOP_REDIRECT_HTTP")]
    pub redirect_http: Option<SocketAddr>,
}

impl TlsArgs {
    /// HTTPS as asked, with ACME's cache under `data_dir` unless given.
    pub fn options(&self, data_dir: &std::path::Path) -> Option<TlsOptions> {
        let domains: Vec<String> = self.acme_domains.iter().filter(|d| !d.trim().is_empty()).cloned().collect();
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Some(TlsOptions::Files { cert: cert.clone(), key: key.clone() }),
            _ if !domains.is_empty() => Some(TlsOptions::Acme(AcmeOptions {
                domains,
                contacts: self.acme_emails.iter().filter(|e| !e.is_empty()).map(|e| format!("mailto:{e}")).collect(),
                directory: self.acme_directory.clone().unwrap_or_else(|| LETS_ENCRYPT.to_owned()),
                cache: self.acme_cache.clone().unwrap_or_else(|| data_dir.join("acme")),
                directory_ca: self.acme_directory_ca.clone(),
            })),
            _ => None,
        }
    }
}

/// Where the HTTPS certificate comes from.
#[derive(Debug, Clone)]
pub enum TlsOptions {
    /// PEM files, reread on SIGHUP.
    Files {
        /// The certificate chain.
        cert: PathBuf,
        /// Its private key.
        key: PathBuf,
    },
    /// An ACME server (Let's Encrypt), by TLS-ALPN-01.
    Acme(AcmeOptions),
}

/// Getting certificates by ACME.
#[derive(Debug, Clone)]
pub struct AcmeOptions {
    /// Names on the certificate.
    pub domains: Vec<String>,
    /// `mailto:` contacts of the account.
    pub contacts: Vec<String>,
    /// Directory URL.
    pub directory: String,
    /// Folder of the account key and certificates.
    pub cache: PathBuf,
    /// A CA (PEM) trusted for the directory's HTTPS besides the usual roots.
    pub directory_ca: Option<PathBuf>,
}

/// Limits on what clients may send and how far they may fall behind.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest websocket message; larger closes the socket with 4009.
    pub max_message_bytes: usize,
    /// Messages per second a socket may send on average.
    pub messages_per_second: f64,
    /// Messages a socket may send in a burst.
    pub message_burst: f64,
    /// Failed join/resume/facilitate attempts before the socket is closed (4029).
    pub max_failed_hellos: u32,
    /// Largest message the server writes to one socket (a facilitator's welcome of a
    /// long exercise is the biggest); sends wait for the socket, so this is no queue.
    pub max_write_buffer_bytes: usize,
    /// Seconds a send to a stalled socket may take before it is dropped.
    pub send_timeout_secs: u64,
    /// Core rules: text lengths, participants, speeds.
    pub rules: Rules,
    /// Exercise queue sizes.
    pub actor: ActorConfig,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_bytes: 64 * 1024,
            messages_per_second: 10.0,
            message_burst: 40.0,
            max_failed_hellos: 10,
            max_write_buffer_bytes: 64 * 1024 * 1024,
            send_timeout_secs: 10,
            rules: Rules::default(),
            actor: ActorConfig::default(),
        }
    }
}

/// A PostgreSQL connection URL. It may hold a password: its `Debug` and `Display`
/// leave that out, so options can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreUrl(pub String);

impl StoreUrl {
    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        let url = &self.0;
        let Some(scheme_end) = url.find("://").map(|i| i + 3) else { return "***".into() };
        let rest = &url[scheme_end..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        match rest[..authority_end].rfind('@') {
            Some(at) => {
                let user = &rest[..at];
                let user = user.split(':').next().unwrap_or("");
                let pass = if rest[..at].contains(':') { ":***" } else { "" };
                format!("{}{user}{pass}{}", &url[..scheme_end], &rest[at..])
            }
            None => url.clone(),
        }
    }
}

impl std::fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoreUrl({:?})", self.redacted())
    }
}

impl std::fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Folder of the event store.
    pub data_dir: PathBuf,
    /// Folder of scenario files.
    pub scenarios_dir: PathBuf,
    /// PostgreSQL instead of the SQLite file (`--store`); `None`: SQLite.
    pub store: Option<StoreUrl>,
    /// The address other instances send this one's clients to; `None`: the listening
    /// address.
    pub advertise_url: Option<String>,
    /// How long a hold on an exercise lasts without renewal (PostgreSQL only).
    pub lease: Duration,
    /// Admin token; `None` = read `admin_token_file`, else read or create `admin-token`
    /// in the data dir.
    pub admin_token: Option<String>,
    /// File holding the admin token (trimmed).
    pub admin_token_file: Option<PathBuf>,
    /// Scenario to open at startup when no exercise is open.
    pub open_scenario: Option<String>,
    /// Public base URL for join links; `None` = the request's host.
    pub public_url: Option<String>,
    /// Chromium for PDF exports; `None` = look for one on `PATH`.
    pub chromium: Option<PathBuf>,
    /// How often the scenarios folder is checked for changes; `None`: only on SIGHUP
    /// and `POST /api/scenarios/reload`.
    pub scenarios_poll: Option<std::time::Duration>,
    /// Where `GET /metrics` is served without a token; `None`: on the main listener,
    /// with the admin token.
    pub metrics_addr: Option<SocketAddr>,
    /// HTTPS; `None`: plain HTTP.
    pub tls: Option<TlsOptions>,
    /// Plain-HTTP listener redirecting to https (needs `tls`).
    pub redirect_http: Option<SocketAddr>,
    /// Limits.
    pub limits: Limits,
    /// Connection limits, proxies, hosts.
    pub net: NetOptions,
}

impl ServerOptions {
    /// Options for a data dir and a scenarios folder, with default limits and no
    /// exercise opened at startup.
    pub fn new(data_dir: impl Into<PathBuf>, scenarios_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            scenarios_dir: scenarios_dir.into(),
            store: None,
            advertise_url: None,
            lease: crate::store::postgres::DEFAULT_LEASE,
            admin_token: None,
            admin_token_file: None,
            open_scenario: None,
            public_url: None,
            chromium: None,
            scenarios_poll: Some(std::time::Duration::from_secs(1)),
            metrics_addr: None,
            tls: None,
            redirect_http: None,
            limits: Limits::default(),
            net: NetOptions::default(),
        }
    }
}

impl From<&ServeArgs> for ServerOptions {
    fn from(a: &ServeArgs) -> Self {
        let mut limits = Limits { max_message_bytes: a.max_message_bytes, ..Limits::default() };
        limits.rules.max_response_chars = a.max_response_chars;
        limits.rules.max_participants = a.max_participants;
        limits.messages_per_second = a.messages_per_second;
        limits.message_burst = a.messages_per_second * 4.0;
        let q = &a.quotas;
        limits.rules.max_answers_per_minute = q.answers_per_minute;
        limits.rules.max_answers_per_inject = q.answers_per_inject;
        limits.rules.max_participant_answer_bytes = q.participant_answer_bytes;
        limits.rules.max_answer_bytes = q.exercise_answer_bytes;
        limits.rules.max_proposals_per_participant = q.proposals_per_participant;
        limits.rules.max_proposals_per_group = q.proposals_per_group;
        Self {
            data_dir: a.data_dir.clone(),
            scenarios_dir: a.scenarios.clone(),
            store: a.store.clone().filter(|s| !s.is_empty()).map(StoreUrl),
            advertise_url: a.advertise_url.clone().filter(|s| !s.is_empty()),
            lease: Duration::from_millis(a.lease_ms.max(100)),
            admin_token: a.admin_token.clone().filter(|t| !t.is_empty()),
            admin_token_file: a.admin_token_file.clone().filter(|p| !p.as_os_str().is_empty()),
            open_scenario: Some(a.open.clone()).filter(|s| !s.is_empty()),
            public_url: a.public_url.clone().filter(|s| !s.is_empty()),
            chromium: a.chromium.clone().filter(|p| !p.as_os_str().is_empty()),
            scenarios_poll: Some(std::time::Duration::from_secs(1)),
            metrics_addr: a.metrics_addr,
            tls: a.tls.options(&a.data_dir),
            redirect_http: a.tls.redirect_http,
            limits,
            net: NetOptions {
                max_connections_per_ip: a.net.max_connections_per_ip,
                max_connections: a.net.max_connections,
                joins_per_ip_per_minute: a.net.joins_per_ip_per_minute,
                trusted_proxies: a.net.trusted_proxies.clone(),
                allowed_hosts: a
                    .net
                    .allowed_hosts
                    .iter()
                    .map(|h| h.trim().to_ascii_lowercase())
                    .filter(|h| !h.is_empty())
                    .collect(),
                ..NetOptions::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StoreUrl;

    #[test]
    fn a_store_url_never_shows_its_password() {
        let url = StoreUrl("postgres://tabletop:s3cret@db.internal:5432/tabletop?sslmode=disable".into());
        assert_eq!(url.redacted(), "postgres://tabletop:***@db.internal:5432/tabletop?sslmode=disable");
        assert!(!format!("{url:?} {url}").contains("s3cret"));
        assert_eq!(StoreUrl("postgres://me@db/x".into()).redacted(), "postgres://me@db/x");
        assert_eq!(StoreUrl("postgres://db/x".into()).redacted(), "postgres://db/x");
        assert_eq!(StoreUrl("host=db password=x".into()).redacted(), "***");
    }
}
