//! The startup banner on stdout: where the server listens and the links a facilitator
//! needs (like Jupyter's token URL; never in the logs).
//!
//! Every link uses one base: `--public-url` when given (the address people type, e.g.
//! behind a reverse proxy or a tunnel); else the listening address; else, listening on
//! `0.0.0.0` or `::`, the first of this machine's reachable addresses, all of which are
//! listed (a phone cannot open `http://0.0.0.0:8080`).

use std::net::{IpAddr, SocketAddr};

use tabletop::server::ExerciseSummary;

/// The banner's lines for a server listening on `addr` (its real address, port 0
/// resolved) with `scheme` (`http`, or `https` with TLS), reached at `public_url` if set.
pub fn lines(
    addr: SocketAddr,
    public_url: Option<&str>,
    scheme: &str,
    admin_token: &str,
    open: &[ExerciseSummary],
) -> Vec<String> {
    let ips = if addr.ip().is_unspecified() { machine_ips() } else { vec![] };
    lines_with(addr, public_url, scheme, &ips, admin_token, open)
}

/// [`lines`] with the machine's addresses given (for tests).
fn lines_with(
    addr: SocketAddr,
    public_url: Option<&str>,
    scheme: &str,
    ips: &[IpAddr],
    admin_token: &str,
    open: &[ExerciseSummary],
) -> Vec<String> {
    let version = env!("CARGO_PKG_VERSION");
    let mut out = Vec::new();
    let reachable = reachable_bases(addr, scheme, ips);
    if addr.ip().is_unspecified() {
        out.push(format!("tabletop {version} listening on port {} of every address of this machine:", addr.port()));
        if public_url.is_none() {
            out.extend(reachable.iter().map(|b| format!("  {b}")));
        }
    } else {
        out.push(format!("tabletop {version} listening on {}", reachable[0]));
    }
    let public = public_url.map(|u| u.trim_end_matches('/').to_owned());
    if let Some(p) = &public {
        out.push(format!("  Public URL:  {p}"));
    }
    let base = public.unwrap_or_else(|| reachable[0].clone());
    out.push(format!("  Facilitator: {base}/facilitator#token={admin_token}"));
    for e in open {
        out.push(format!("  Exercise:    {} ({}) id {}", e.title, e.phase.as_str(), e.exercise_id));
        out.push(format!("  Join code:   {}   participants open {base}/join/{}", e.join_code, e.join_code));
        out.push(format!("  Facilitator key for this exercise: {}", e.facilitator_key));
    }
    out
}

/// The base URLs the server is reached at from this machine's addresses: the one
/// listened on, or for a wildcard address every address of the matching family (both for
/// `::`, which Linux also serves IPv4 on), others before loopback, without IPv6
/// link-local ones (they need a zone no browser URL takes). Never empty.
fn reachable_bases(addr: SocketAddr, scheme: &str, ips: &[IpAddr]) -> Vec<String> {
    let url = |ip: IpAddr| format!("{scheme}://{}", SocketAddr::new(ip, addr.port()));
    if !addr.ip().is_unspecified() {
        return vec![url(addr.ip())];
    }
    let usable = |ip: &&IpAddr| match (addr.ip(), ip) {
        (IpAddr::V4(_), IpAddr::V6(_)) => false,
        (_, IpAddr::V6(v6)) => (v6.segments()[0] & 0xffc0) != 0xfe80,
        _ => true,
    };
    let mut chosen: Vec<IpAddr> = ips.iter().filter(usable).copied().collect();
    chosen.sort_by_key(|ip| (ip.is_loopback(), ip.is_ipv6(), *ip));
    chosen.dedup();
    if !chosen.iter().any(IpAddr::is_loopback) {
        chosen.push(if addr.is_ipv4() {
            IpAddr::from([127, 0, 0, 1])
        } else {
            IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1])
        });
    }
    chosen.into_iter().map(url).collect()
}

/// This machine's interface addresses (empty when they cannot be read).
fn machine_ips() -> Vec<IpAddr> {
    match if_addrs::get_if_addrs() {
        Ok(ifaces) => ifaces.into_iter().map(|i| i.ip()).collect(),
        Err(e) => {
            tracing::warn!("cannot list this machine's addresses: {e}");
            vec![]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAN: [u8; 4] = [192, 168, 1, 20];

    fn ips() -> Vec<IpAddr> {
        vec![
            IpAddr::from([127, 0, 0, 1]),
            IpAddr::from(LAN),
            "::1".parse().unwrap(),
            "fe80::1".parse().unwrap(),
            "2001:db8::5".parse().unwrap(),
        ]
    }

    #[test]
    fn a_specific_address_is_the_base() {
        let l = lines_with("127.0.0.1:8080".parse().unwrap(), None, "http", &ips(), "T", &[]);
        assert_eq!(l[0], format!("tabletop {} listening on http://127.0.0.1:8080", env!("CARGO_PKG_VERSION")));
        assert_eq!(l[1], "  Facilitator: http://127.0.0.1:8080/facilitator#token=T");
        assert_eq!(l.len(), 2);
    }

    #[test]
    fn the_public_url_drives_the_links_but_not_the_listening_line() {
        let l = lines_with("127.0.0.1:8080".parse().unwrap(), Some("https://tt.example.org/"), "http", &[], "T", &[]);
        assert!(l[0].ends_with("listening on http://127.0.0.1:8080"), "{l:?}");
        assert_eq!(l[1], "  Public URL:  https://tt.example.org");
        assert_eq!(l[2], "  Facilitator: https://tt.example.org/facilitator#token=T");
    }

    #[test]
    fn ipv4_wildcard_lists_ipv4_addresses_lan_first_never_0_0_0_0() {
        let l = lines_with("0.0.0.0:8080".parse().unwrap(), None, "http", &ips(), "T", &[]);
        assert!(l[0].ends_with("listening on port 8080 of every address of this machine:"), "{l:?}");
        assert_eq!(l[1], "  http://192.168.1.20:8080");
        assert_eq!(l[2], "  http://127.0.0.1:8080");
        assert_eq!(l[3], "  Facilitator: http://192.168.1.20:8080/facilitator#token=T");
        assert!(!l.join("\n").contains("0.0.0.0"), "{l:?}");
    }

    #[test]
    fn ipv6_wildcard_lists_both_families_without_link_local() {
        let l = lines_with("[::]:80".parse().unwrap(), None, "https", &ips(), "T", &[]);
        let text = l.join("\n");
        for want in ["https://192.168.1.20:80", "https://[2001:db8::5]:80", "https://127.0.0.1:80", "https://[::1]:80"]
        {
            assert!(text.contains(want), "{want} in {text}");
        }
        assert!(!text.contains("fe80"), "{text}");
        assert!(!text.contains("[::]:"), "{text}");
    }

    #[test]
    fn a_wildcard_with_no_readable_interface_still_names_loopback() {
        let l = lines_with("0.0.0.0:9".parse().unwrap(), None, "http", &[], "T", &[]);
        assert_eq!(l[1], "  http://127.0.0.1:9");
    }

    #[test]
    fn a_wildcard_with_a_public_url_lists_only_the_public_url() {
        let l = lines_with("0.0.0.0:8080".parse().unwrap(), Some("https://tt.example.org"), "http", &ips(), "T", &[]);
        assert_eq!(l.len(), 3, "{l:?}");
        assert_eq!(l[2], "  Facilitator: https://tt.example.org/facilitator#token=T");
    }
}
