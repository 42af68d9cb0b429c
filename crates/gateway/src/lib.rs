//! The OffsetLab gateway: serves the built app and, with the live-mode
//! issue, relays a real Kafka cluster to browsers over WebSocket.
//!
//! Shaped like axum's examples: `app()` builds the router apart from
//! `main`, and `run(listener, config, shutdown)` serves until `shutdown`
//! resolves, so tests bind port 0 and stop the server themselves.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::{Json, Router, routing::get};
use offsetlab_protocol::PROTOCOL_VERSION;
use serde::Serialize;
use tokio::net::TcpListener;
use tower_http::services::{ServeDir, ServeFile};

#[derive(Clone, Debug, clap::Parser)]
#[command(name = "offsetlab-gateway", version, about)]
pub struct Config {
    /// Address to listen on. Loopback by default: exposing the gateway is
    /// a choice to make on purpose.
    #[arg(long, env = "OFFSETLAB_LISTEN", default_value = "127.0.0.1:8081")]
    pub listen: SocketAddr,
    /// The built app (trunk's dist/), served at `/` so page and socket share
    /// one origin.
    #[arg(long, env = "OFFSETLAB_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
}

/// What `/healthz` answers: enough for a browser or a script to tell that a
/// gateway speaking its protocol version is there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub protocol_version: u32,
    pub version: &'static str,
}

pub fn app(config: &Config) -> Router {
    let router = Router::new().route("/healthz", get(healthz));
    match &config.static_dir {
        // Unknown paths fall back to index.html, as a single-page app expects.
        Some(dir) => {
            router.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html"))))
        }
        None => router,
    }
}

async fn healthz() -> Json<Health> {
    Json(Health { status: "ok", protocol_version: PROTOCOL_VERSION, version: env!("CARGO_PKG_VERSION") })
}

/// Serves until `shutdown` resolves, then lets open requests finish.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, static_dir = ?config.static_dir, "gateway listening");
    }
    axum::serve(listener, app(&config)).with_graceful_shutdown(shutdown).await
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
