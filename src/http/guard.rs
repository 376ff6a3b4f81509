//! Throttled guessing: one limiter per client address, shared by every way to guess a
//! secret or probe a code — failed websocket identifications (unknown join code, bad
//! resume token, facilitator or observer key), `GET /qr/{code}`, `/join/{code}`,
//! `/api/join/{code}`, and every 401 on `/api/*` and `/metrics`.
//!
//! Each address has a bucket of points ([`GuardLimits`]): a failure costs many, a lookup
//! few; successes cost nothing. An emptied bucket blocks the address (HTTP `429` with
//! `Retry-After`, on a websocket an `error` `rate_limited` then close 4029) for a backoff
//! that doubles each time it empties again soon after. Also here: the per-address join
//! rate (`--joins-per-ip-per-minute`).
//!
//! Memory is bounded: IPv6 addresses count by their /64 (one subscriber's whole
//! prefix), idle entries are pruned every minute, and past [`MAX_ENTRIES`] new
//! addresses share one entry.

use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use dashmap::DashMap;
use tokio::sync::watch;
use tokio::time::Instant;

use super::client::{ClientAddr, client_addr};
use super::error::error_response;
use crate::config::{GuardLimits, NetOptions};
use crate::server::App;

/// Most addresses tracked per map; beyond, new ones share one entry.
pub const MAX_ENTRIES: usize = 100_000;

/// What a request or a hello costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charge {
    /// A wrong code, key or token.
    Failure,
    /// A code looked up (QR, join page).
    Lookup,
}

#[derive(Debug)]
struct Bucket {
    points: f64,
    last: Instant,
    strikes: u32,
    last_empty: Option<Instant>,
    blocked_until: Option<Instant>,
}

#[derive(Debug)]
struct Joins {
    left: f64,
    last: Instant,
}

/// The limiter: buckets per client address.
#[derive(Debug)]
pub struct Guard {
    limits: GuardLimits,
    buckets: DashMap<IpAddr, Bucket>,
    joins: DashMap<IpAddr, Joins>,
    joins_per_minute: u32,
}

impl Guard {
    /// A limiter with the configured sizes.
    pub fn new(net: &NetOptions) -> Self {
        Guard {
            limits: net.guard.clone(),
            buckets: DashMap::new(),
            joins: DashMap::new(),
            joins_per_minute: net.joins_per_ip_per_minute,
        }
    }

    /// How long `ip` is still blocked, if it is.
    pub fn blocked(&self, ip: IpAddr) -> Option<Duration> {
        let now = Instant::now();
        let bucket = self.buckets.get(&key(ip))?;
        bucket.blocked_until.filter(|until| *until > now).map(|until| until - now)
    }

    /// Charges `ip`; `Err(retry_after)` when it is blocked (now or already).
    pub fn charge(&self, ip: IpAddr, charge: Charge) -> Result<(), Duration> {
        let now = Instant::now();
        let limits = &self.limits;
        let key = self.room_for(&self.buckets, key(ip));
        let mut bucket = self.buckets.entry(key).or_insert_with(|| Bucket {
            points: limits.burst,
            last: now,
            strikes: 0,
            last_empty: None,
            blocked_until: None,
        });
        let b = &mut *bucket;
        b.points = (b.points + (now - b.last).as_secs_f64() * limits.refill_per_second).min(limits.burst);
        b.last = now;
        if let Some(until) = b.blocked_until.filter(|until| *until > now) {
            return Err(until - now);
        }
        b.points -= match charge {
            Charge::Failure => limits.failure_cost,
            Charge::Lookup => limits.lookup_cost,
        };
        if b.points > 0.0 {
            return Ok(());
        }
        // Emptied: block, longer each time it empties again before the longest block has
        // passed twice over.
        if b.last_empty.is_some_and(|t| now - t > limits.max_backoff * 2) {
            b.strikes = 0;
        }
        b.strikes = b.strikes.saturating_add(1);
        b.last_empty = Some(now);
        b.points = 0.0;
        let backoff = limits.base_backoff.saturating_mul(1 << (b.strikes - 1).min(20)).min(limits.max_backoff);
        b.blocked_until = Some(now + backoff);
        Err(backoff)
    }

    /// `Err(retry_after)` when `ip` has made its joins of the minute.
    pub fn may_join(&self, ip: IpAddr) -> Result<(), Duration> {
        if self.joins_per_minute == 0 {
            return Ok(());
        }
        let Some(mut joins) = self.joins.get_mut(&key(ip)) else { return Ok(()) };
        self.refill_joins(&mut joins);
        if joins.left >= 1.0 {
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - joins.left) * 60.0 / f64::from(self.joins_per_minute)))
        }
    }

    /// Counts a successful join of `ip`.
    pub fn joined(&self, ip: IpAddr) {
        if self.joins_per_minute == 0 {
            return;
        }
        let key = self.room_for(&self.joins, key(ip));
        let full = f64::from(self.joins_per_minute);
        let mut joins = self.joins.entry(key).or_insert_with(|| Joins { left: full, last: Instant::now() });
        self.refill_joins(&mut joins);
        joins.left -= 1.0;
    }

    fn refill_joins(&self, joins: &mut Joins) {
        let now = Instant::now();
        let full = f64::from(self.joins_per_minute);
        joins.left = (joins.left + (now - joins.last).as_secs_f64() * full / 60.0).min(full);
        joins.last = now;
    }

    /// `key`, or the shared overflow entry when the map is full even after pruning.
    fn room_for<V>(&self, map: &DashMap<IpAddr, V>, key: IpAddr) -> IpAddr {
        if map.len() < MAX_ENTRIES || map.contains_key(&key) {
            return key;
        }
        self.prune();
        if map.len() < MAX_ENTRIES { key } else { IpAddr::V6(Ipv6Addr::UNSPECIFIED) }
    }

    /// Drops entries that no longer hold anything back: full buckets with no block and
    /// no recent backoff, full join allowances.
    pub fn prune(&self) {
        let now = Instant::now();
        let limits = &self.limits;
        self.buckets.retain(|_, b| {
            let points = b.points + (now - b.last).as_secs_f64() * limits.refill_per_second;
            let remembered = b.last_empty.is_some_and(|t| now - t <= limits.max_backoff * 2);
            points < limits.burst || remembered || b.blocked_until.is_some_and(|u| u > now)
        });
        let full = f64::from(self.joins_per_minute);
        self.joins.retain(|_, j| j.left + (now - j.last).as_secs_f64() * full / 60.0 < full);
    }

    /// Addresses tracked (for tests).
    pub fn tracked(&self) -> usize {
        self.buckets.len() + self.joins.len()
    }
}

/// The key an address counts under: IPv4 as is (also when mapped into IPv6), IPv6 by
/// its /64.
fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
        },
    }
}

/// Prunes `guard` every minute until `shutdown` flips.
pub async fn prune_every_minute(guard: Arc<Guard>, mut shutdown: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    loop {
        tokio::select! {
            _ = every.tick() => guard.prune(),
            _ = async { let _ = shutdown.wait_for(|s| *s).await; } => return,
        }
    }
}

/// The 429 of a blocked address: `{"error":{"code":"rate_limited"}}` with `Retry-After`.
pub fn too_many(retry_after: Duration) -> Response {
    let mut response =
        error_response(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "too many attempts from your address; wait");
    let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    response
}

/// Middleware: finds the client's address (a [`ClientAddr`] for the handlers), refuses
/// a blocked address on the guarded paths, and charges lookups and 401s.
pub async fn throttle(State(app): State<Arc<App>>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0);
    let ip = client_addr(&app.options.net, peer, request.headers());
    request.extensions_mut().insert(ClientAddr(ip));
    let path = request.uri().path();
    let lookup = ["/qr/", "/join/", "/api/join/"].iter().any(|p| path.starts_with(p));
    let guarded = lookup || path.starts_with("/api/") || path == "/metrics";
    if !guarded {
        return next.run(request).await;
    }
    if let Some(retry_after) = app.guard.blocked(ip) {
        return too_many(retry_after);
    }
    let response = next.run(request).await;
    let status = response.status();
    let failed = status == StatusCode::UNAUTHORIZED || (lookup && status == StatusCode::NOT_FOUND);
    if lookup {
        let _ = app.guard.charge(ip, Charge::Lookup);
    }
    if failed {
        let _ = app.guard.charge(ip, Charge::Failure);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(burst: f64) -> Guard {
        let guard = GuardLimits {
            burst,
            refill_per_second: 0.001,
            failure_cost: 1.0,
            lookup_cost: 0.1,
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(8),
        };
        let net = NetOptions { guard, joins_per_ip_per_minute: 3, ..NetOptions::default() };
        Guard::new(&net)
    }

    #[tokio::test(start_paused = true)]
    async fn failures_empty_the_bucket_then_blocks_double() {
        let g = guard(3.0);
        let ip: IpAddr = [192, 0, 2, 1].into();
        assert!((0..2).all(|_| g.charge(ip, Charge::Failure).is_ok()));
        assert_eq!(g.charge(ip, Charge::Failure), Err(Duration::from_secs(1)), "the one that empties it blocks");
        assert!(g.blocked(ip).is_some());
        assert!(g.blocked([192, 0, 2, 2].into()).is_none(), "another address is not blocked");
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(g.blocked(ip).is_none());
        assert_eq!(g.charge(ip, Charge::Failure), Err(Duration::from_secs(2)), "emptied again: twice as long");
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(g.charge(ip, Charge::Failure), Err(Duration::from_secs(4)));
    }

    #[tokio::test(start_paused = true)]
    async fn lookups_cost_a_tenth_and_ipv6_counts_by_its_64() {
        let g = guard(3.0);
        let a: IpAddr = "2001:db8::1".parse().unwrap();
        let b: IpAddr = "2001:db8::ffff:2".parse().unwrap();
        assert!((0..20).all(|_| g.charge(a, Charge::Lookup).is_ok()));
        let more = (0..20).take_while(|_| g.charge(b, Charge::Lookup).is_ok()).count();
        assert!((8..=10).contains(&more), "the same /64 shares one bucket of 30 lookups: {more} more");
        assert!(g.charge("2001:db8:0:1::1".parse().unwrap(), Charge::Failure).is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn joins_are_counted_per_minute_and_pruned_when_refilled() {
        let g = guard(3.0);
        let ip: IpAddr = [192, 0, 2, 1].into();
        for _ in 0..3 {
            assert!(g.may_join(ip).is_ok());
            g.joined(ip);
        }
        assert!(g.may_join(ip).is_err());
        tokio::time::advance(Duration::from_secs(20)).await;
        assert!(g.may_join(ip).is_ok(), "one join back after a third of a minute");
        tokio::time::advance(Duration::from_secs(60)).await;
        g.prune();
        assert_eq!(g.tracked(), 0);
    }
}
