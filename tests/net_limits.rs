//! Connection limits over real sockets: the header-read timeout (slowloris), the idle
//! timeout, the cap per client address and in all (beyond them a connection is closed at
//! once while `/healthz` keeps answering others), and trusted proxies.
//!
//! A second client address is 127.0.0.2 (Linux routes all of 127/8 to loopback).

mod common;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use common::{TestServer, WAIT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const OTHER: [u8; 4] = [127, 0, 0, 2];

fn addr(server: &TestServer) -> SocketAddr {
    server.base.trim_start_matches("http://").parse().unwrap()
}

/// A TCP connection to the server from `from`.
async fn connect_from(server: &TestServer, from: [u8; 4]) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(IpAddr::from(from), 0)).unwrap();
    socket.connect(addr(server)).await.unwrap()
}

/// Reads until the server closes the connection (EOF or reset); what was read. Panics
/// when it stays open past the wait.
async fn read_until_closed(tcp: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(WAIT, tcp.read(&mut buf)).await.expect("the server closes the connection") {
            Ok(0) | Err(_) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// `GET /healthz` on a fresh connection from `from`; the status, or `None` when the
/// connection is closed without an answer.
async fn healthz_from(server: &TestServer, from: [u8; 4]) -> Option<u16> {
    let mut tcp = connect_from(server, from).await;
    let _ = tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await;
    let answer = read_until_closed(&mut tcp).await;
    let text = String::from_utf8_lossy(&answer);
    text.strip_prefix("HTTP/1.1 ").and_then(|rest| rest.get(..3)).and_then(|s| s.parse().ok())
}

#[tokio::test]
async fn a_slowloris_header_is_cut_off_by_the_header_read_timeout() {
    let server = TestServer::start_with(|o| o.net.header_read_timeout = Duration::from_secs(1)).await;
    let mut tcp = connect_from(&server, [127, 0, 0, 1]).await;
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: loc").await.unwrap();
    let started = std::time::Instant::now();
    // One more header byte now and then, as slowloris does: never a whole header.
    let trickle = async {
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if tcp.write_all(b"a").await.is_err() {
                return;
            }
        }
    };
    trickle.await;
    let answer = read_until_closed(&mut tcp).await;
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"), "no answer to a header never finished");
    assert!(started.elapsed() < WAIT, "closed while the client was still trickling");
}

#[tokio::test]
async fn a_connection_that_sends_nothing_or_goes_quiet_is_closed() {
    let server = TestServer::start_with(|o| {
        o.net.header_read_timeout = Duration::from_secs(1);
        o.net.idle_timeout = Duration::from_secs(2);
    })
    .await;
    let mut silent = connect_from(&server, [127, 0, 0, 1]).await;
    assert!(read_until_closed(&mut silent).await.is_empty(), "closed without an answer");

    let mut keep_alive = connect_from(&server, [127, 0, 0, 1]).await;
    keep_alive.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let answer = read_until_closed(&mut keep_alive).await;
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"), "answered, then closed when idle");
}

#[tokio::test]
async fn an_address_over_its_cap_is_refused_while_others_are_served() {
    let server = TestServer::start_with(|o| o.net.max_connections_per_ip = 3).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut tcp = connect_from(&server, [127, 0, 0, 1]).await;
        tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
        let mut buf = [0u8; 512];
        let n = tokio::time::timeout(WAIT, tcp.read(&mut buf)).await.unwrap().unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        held.push(tcp);
    }
    assert_eq!(healthz_from(&server, [127, 0, 0, 1]).await, None, "a fourth from the address is closed at once");
    assert_eq!(healthz_from(&server, OTHER).await, Some(200), "another address is served");
    held.pop();
    // The place comes back once the server has seen the close.
    let mut back = None;
    for _ in 0..50 {
        back = healthz_from(&server, [127, 0, 0, 1]).await;
        if back.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(back, Some(200), "a closed connection gives its place back");
}

#[tokio::test]
async fn unidentified_websockets_count_against_the_cap_until_they_close() {
    let server = TestServer::start_with(|o| o.net.max_connections_per_ip = 2).await;
    let _a = common::Client::connect(&server.ws_url).await;
    let _b = common::Client::connect(&server.ws_url).await;
    assert_eq!(healthz_from(&server, [127, 0, 0, 1]).await, None, "two open websockets fill a cap of two");
    assert_eq!(healthz_from(&server, OTHER).await, Some(200));
}

#[tokio::test]
async fn the_total_cap_closes_new_connections_and_healthz_answers_when_one_frees() {
    let server = TestServer::start_with(|o| {
        o.net.max_connections = Some(4);
        o.net.max_connections_per_ip = 0;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(common::Client::connect(&server.ws_url).await);
    }
    assert_eq!(healthz_from(&server, OTHER).await, None, "over the total cap: closed at once, from anywhere");
    held.clear();
    let mut back = None;
    for _ in 0..50 {
        back = healthz_from(&server, OTHER).await;
        if back.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(back, Some(200));
}

#[tokio::test]
async fn a_trusted_proxy_is_not_capped_per_address() {
    let server = TestServer::start_with(|o| {
        o.net.max_connections_per_ip = 2;
        o.net.trusted_proxies = vec![IpAddr::from([127, 0, 0, 1])];
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(common::Client::connect(&server.ws_url).await);
    }
    assert_eq!(healthz_from(&server, [127, 0, 0, 1]).await, Some(200), "the proxy holds more than the cap");
    let _c = connect_from(&server, OTHER).await;
    let _d = connect_from(&server, OTHER).await;
    assert_eq!(healthz_from(&server, OTHER).await, None, "an untrusted address is still capped");
}

/// The next close code of a raw websocket, answering pings only if `answer_pings`.
async fn close_code(
    ws: &mut tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>,
) -> Option<u16> {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        match tokio::time::timeout(WAIT, ws.next()).await.expect("closed within the wait") {
            Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return None,
        }
    }
}

#[tokio::test]
async fn a_websocket_that_does_not_identify_in_time_is_closed_with_4010() {
    let server = TestServer::start_with(|o| o.net.identify_timeout = Duration::from_secs(1)).await;
    let (mut ws, _) = tokio_tungstenite::connect_async(&server.ws_url).await.unwrap();
    assert_eq!(close_code(&mut ws).await, Some(4010));
    // Identified in time: the deadline no longer applies.
    let ex = server.create("quick-demo").await;
    let (mut phone, _) = server.join(&ex, "Awa").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    phone.sync().await;
}

#[tokio::test]
async fn a_peer_that_never_answers_pings_is_dropped_and_one_that_does_stays() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let server = TestServer::start_with(|o| o.net.ping_interval = Duration::from_millis(300)).await;
    let ex = server.create("quick-demo").await;
    // Reads (and so answers pings) all along: still there after several intervals.
    let (mut alive, _) = server.join(&ex, "Awa").await;
    // A raw socket that identifies, then never reads again: its pongs are never sent.
    let (mut dead, _) = tokio_tungstenite::connect_async(&server.ws_url).await.unwrap();
    dead.send(Message::text(
        serde_json::json!({"type": "join", "join_code": ex.join_code, "name": "Ghost"}).to_string(),
    ))
    .await
    .unwrap();
    let welcome = dead.next().await.unwrap().unwrap();
    assert!(welcome.to_text().unwrap().contains("welcome"));
    let mut pings = 0;
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        alive.sync().await;
        pings += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(pings > 0);
    // Now read the dead one: the server pinged, had no answer, and dropped it.
    let closed = tokio::time::timeout(WAIT, async {
        while let Some(Ok(Message::Ping(_) | Message::Text(_))) = dead.next().await {}
    })
    .await;
    assert!(closed.is_ok(), "a peer silent for two ping intervals is dropped");
}

#[tokio::test]
async fn binary_frames_take_rate_limit_tokens() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let server = TestServer::start_with(|o| {
        o.limits.messages_per_second = 0.001;
        o.limits.message_burst = 3.0;
    })
    .await;
    let (mut ws, _) = tokio_tungstenite::connect_async(&server.ws_url).await.unwrap();
    let mut codes = Vec::new();
    for _ in 0..5 {
        ws.send(Message::binary(vec![1u8, 2, 3])).await.unwrap();
        loop {
            if let Message::Text(t) = ws.next().await.unwrap().unwrap() {
                let v: serde_json::Value = serde_json::from_str(&t).unwrap();
                codes.push(v["code"].as_str().unwrap().to_owned());
                break;
            }
        }
    }
    assert_eq!(codes, ["malformed", "malformed", "malformed", "rate_limited", "rate_limited"]);
}

#[tokio::test]
async fn the_metrics_listener_has_the_same_timeouts_and_shares_the_caps() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let metrics = SocketAddr::from(([127, 0, 0, 1], port));
    let server = TestServer::start_with(|o| {
        o.metrics_addr = Some(metrics);
        o.net.header_read_timeout = Duration::from_secs(1);
        o.net.max_connections_per_ip = 3;
    })
    .await;
    // (The metrics listener is bound once the server task runs: retried until then.)
    let at = |from: [u8; 4]| async move {
        for _ in 0..100 {
            let socket = TcpSocket::new_v4().unwrap();
            socket.bind(SocketAddr::new(IpAddr::from(from), 0)).unwrap();
            match socket.connect(metrics).await {
                Ok(tcp) => return tcp,
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        panic!("the metrics listener does not answer");
    };
    // A connection that never sends a header is cut off there too.
    let mut quiet = at(OTHER).await;
    let started = std::time::Instant::now();
    assert!(read_until_closed(&mut quiet).await.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(800), "closed by the timeout, not at once");

    // Three sockets on the main listener fill 127.0.0.1's places: the metrics listener
    // closes a fourth at once.
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(common::Client::connect(&server.ws_url).await);
    }
    let mut fourth = at([127, 0, 0, 1]).await;
    let _ = fourth.write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").await;
    let answer = read_until_closed(&mut fourth).await;
    assert!(answer.is_empty(), "over the cap: {}", String::from_utf8_lossy(&answer));

    // Another address scrapes, and reads both.
    let mut scraper = at(OTHER).await;
    scraper.write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let text = String::from_utf8(read_until_closed(&mut scraper).await).unwrap();
    let value = |name: &str| -> f64 {
        let line =
            text.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_else(|| panic!("{name}: {text}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert!(value("tabletop_tcp_connections_refused_total") >= 1.0);
    assert!(value("tabletop_tcp_connections") >= 4.0, "three sockets and the scrape");
    assert_eq!(value("tabletop_store_failing"), 0.0);
}
