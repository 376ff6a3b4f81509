//! The client's address: the connection's peer, or behind a trusted reverse proxy
//! (`--trusted-proxy`) the last `X-Forwarded-For` entry (the one the proxy added; the
//! entries before it are the client's own say).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::http::HeaderMap;

use crate::config::NetOptions;

/// The client's address, found once per request by the guard middleware.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Where requests without a known peer (in-process routers) count.
pub const UNKNOWN: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);

/// The client of a request from `peer` with `headers`.
pub fn client_addr(net: &NetOptions, peer: Option<SocketAddr>, headers: &HeaderMap) -> IpAddr {
    let Some(peer) = peer else { return UNKNOWN };
    let ip = peer.ip().to_canonical();
    if !net.trusted_proxies.iter().any(|p| p.to_canonical() == ip) {
        return ip;
    }
    let last = headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(str::trim);
    last.and_then(parse_entry).map_or(ip, |found| found.to_canonical())
}

/// An `X-Forwarded-For` entry: an address, maybe with a port (`1.2.3.4:5`, `[::1]:5`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    entry.parse().ok().or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_trusted_proxy_is_believed_and_only_its_own_entry() {
        let net = NetOptions { trusted_proxies: vec![[127, 0, 0, 1].into()], ..NetOptions::default() };
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7".parse().unwrap());
        let proxy: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let other: SocketAddr = "198.51.100.2:5000".parse().unwrap();
        assert_eq!(client_addr(&net, Some(proxy), &headers), IpAddr::from([203, 0, 113, 7]));
        assert_eq!(client_addr(&net, Some(other), &headers), IpAddr::from([198, 51, 100, 2]));
        assert_eq!(client_addr(&net, Some(proxy), &HeaderMap::new()), IpAddr::from([127, 0, 0, 1]));
        assert_eq!(client_addr(&net, None, &headers), UNKNOWN);
    }
}
