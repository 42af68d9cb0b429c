//! The gateway on a real loopback socket: health, the built app, and a
//! graceful shutdown.

use std::path::PathBuf;

use offsetlab_gateway::{Config, run};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One HTTP/1.1 GET over a plain socket; returns (status line, body).
async fn get(addr: std::net::SocketAddr, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (head.lines().next().unwrap_or("").to_string(), body.to_string())
}

fn static_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("offsetlab-gateway-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<title>OffsetLab</title>").unwrap();
    std::fs::write(dir.join("app.js"), "console.log('hi')").unwrap();
    dir
}

#[tokio::test]
async fn serves_health_and_the_built_app_then_shuts_down() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let dir = static_dir();
    // No broker on this port: serving the app needs none.
    let mut config = Config::new("127.0.0.1:9");
    config.listen = addr;
    config.static_dir = Some(dir.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(run(listener, config, async {
        let _ = stopped.await;
    }));

    let (status, body) = get(addr, "/healthz").await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(
        body,
        format!(
            r#"{{"status":"ok","protocol_version":{},"version":"{}"}}"#,
            offsetlab_protocol::PROTOCOL_VERSION,
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(get(addr, "/").await.1, "<title>OffsetLab</title>");
    assert_eq!(get(addr, "/app.js").await.1, "console.log('hi')");
    // A deep link is the single-page app's business: index.html answers.
    assert_eq!(get(addr, "/some/view").await.1, "<title>OffsetLab</title>");

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    assert!(TcpStream::connect(addr).await.is_err(), "the socket is closed after shutdown");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn config_flags_have_safe_defaults_and_reject_bad_values() {
    use clap::Parser;
    let config = Config::try_parse_from(["offsetlab-gateway"]).unwrap();
    assert_eq!(config.listen.to_string(), "127.0.0.1:8081");
    assert_eq!(config.static_dir, None);
    let err = Config::try_parse_from(["offsetlab-gateway", "--listen", "not-an-address"]).unwrap_err();
    assert!(err.to_string().contains("invalid value 'not-an-address'"), "{err}");
}
