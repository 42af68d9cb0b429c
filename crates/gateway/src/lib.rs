//! The OffsetLab gateway: serves the built app and relays a real Kafka
//! cluster to browsers over one WebSocket (`/ws`), with rdkafka
//! (librdkafka) as its only way to Kafka.
//!
//! Shaped like axum's examples: `app()` builds the router apart from
//! `main`, and `run(listener, config, shutdown)` serves until `shutdown`
//! resolves, so tests bind port 0 and stop the server themselves.
//!
//! Three loops feed the browsers through the [`hub`]: the observer (topics,
//! watermarks, groups), the tail (records of watched topics) and one child
//! process per gateway-owned consumer. None of them waits for a browser.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::{Json, Router, routing::get};
use offsetlab_protocol::{Command, ErrorCode, PROTOCOL_VERSION};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::producer::{FutureProducer, FutureRecord};
use serde::Serialize;
use tokio::net::TcpListener;
use tower_http::services::{ServeDir, ServeFile};

pub mod child;
mod config;
pub mod consumer_protocol;
pub mod hub;
pub mod observe;
mod owned;
mod tail;
pub mod ws;

pub use config::{Config, KafkaOption, Secret};
use owned::{Owned, Refusal, Start};

/// What `/healthz` answers: enough for a browser or a script to tell that a
/// gateway speaking its protocol version is there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub protocol_version: u32,
    pub version: &'static str,
}

/// Everything a connection needs, shared.
pub struct Gateway {
    pub config: Config,
    pub hub: Arc<hub::Hub>,
    owned: Owned,
    producer: FutureProducer,
    admin: AdminClient<DefaultClientContext>,
    shutdown: tokio::sync::watch::Receiver<bool>,
}

/// The limits on what a browser may ask for.
const MAX_PRODUCE: u32 = 100_000;
const MAX_PARTITIONS: i32 = 10_000;
const MAX_PROCESSING_MS: u64 = 60_000;

impl Gateway {
    pub fn new(config: Config, shutdown: tokio::sync::watch::Receiver<bool>) -> Result<Gateway, String> {
        let program = match &config.consumer_program {
            Some(program) => program.clone(),
            None => {
                std::env::current_exe().map_err(|e| format!("cannot find the gateway's own program: {e}"))?
            }
        };
        let producer = config
            .client_config()
            .set("client.id", "offsetlab-gateway-producer")
            // Java's partitioner (murmur2 of the key), so records land where
            // the chapter and the offline model say they do.
            .set("partitioner", "murmur2_random")
            .set("linger.ms", "5")
            .create()
            .map_err(|e| format!("cannot create a Kafka producer: {e}"))?;
        let admin = config
            .client_config()
            .set("client.id", "offsetlab-gateway-admin")
            .create()
            .map_err(|e| format!("cannot create a Kafka admin client: {e}"))?;
        Ok(Gateway {
            hub: Arc::new(hub::Hub::new(config.refresh_ms)),
            owned: Owned::new(program),
            producer,
            admin,
            config,
            shutdown,
        })
    }

    fn allow_group(&self, group: Option<&str>) -> Result<(), Refusal> {
        match group {
            Some(group) if !group.starts_with(&self.config.group_prefix) => Err((
                ErrorCode::GroupPrefix,
                format!(
                    "group `{group}` does not start with `{}`: this gateway only runs consumers in its own groups",
                    self.config.group_prefix
                ),
            )),
            Some(group) => ws::valid_name("group id", group, 249),
            None => Ok(()),
        }
    }

    /// Carries out one browser command.
    pub async fn handle(
        &self,
        connection: u64,
        command: Command,
        session: &mut ws::Session,
    ) -> Result<(), Refusal> {
        if command.writes() && !self.config.writes_allowed() {
            return Err((
                ErrorCode::ReadOnly,
                format!(
                    "`{}` changes the cluster and this gateway is read-only (start it with --allow-write)",
                    child::command_name(&command)
                ),
            ));
        }
        match command {
            Command::Hello { .. } => Ok(()),
            Command::SetRefresh { interval_ms } => {
                if !(100..=60_000).contains(&interval_ms) {
                    return Err((ErrorCode::InvalidCommand, "interval_ms must be 100 to 60000".into()));
                }
                self.hub.set_refresh(connection, interval_ms);
                Ok(())
            }
            Command::Watch { topic, window } => {
                ws::valid_name("topic", &topic, 249)?;
                let (since, catch_up, generation) = self.hub.watch(connection, &topic, window);
                session.watched.insert(topic.clone(), (since, window));
                session.catch_up.extend(catch_up);
                // Answered once the tail reads the topic: what is produced
                // after the answer is on this browser's logs. A topic that
                // does not exist yet is watched all the same.
                if !self.hub.tail_caught_up(generation, Duration::from_secs(5)).await {
                    tracing::debug!(%topic, "watch answered before the tail caught up");
                }
                Ok(())
            }
            Command::Unwatch { topic } => {
                self.hub.unwatch(connection, &topic);
                session.watched.remove(&topic);
                Ok(())
            }
            Command::CreateTopic { topic, partitions } => {
                ws::valid_name("topic", &topic, 249)?;
                if !(1..=MAX_PARTITIONS).contains(&partitions) {
                    return Err((
                        ErrorCode::InvalidCommand,
                        format!("partitions must be 1 to {MAX_PARTITIONS}"),
                    ));
                }
                self.create_topic(&topic, partitions).await
            }
            Command::Produce { topic, partition, key, value, count } => {
                ws::valid_name("topic", &topic, 249)?;
                if !(1..=MAX_PRODUCE).contains(&count) {
                    return Err((ErrorCode::InvalidCommand, format!("count must be 1 to {MAX_PRODUCE}")));
                }
                self.produce(&topic, partition, key.as_deref(), value.as_deref(), count).await
            }
            Command::StartConsumer { consumer, group, config, processing_ms, commit } => {
                ws::valid_name("consumer id", &consumer, 64)?;
                self.allow_group(group.as_deref())?;
                if processing_ms > MAX_PROCESSING_MS {
                    return Err((
                        ErrorCode::InvalidCommand,
                        format!("processing_ms must be at most {MAX_PROCESSING_MS}"),
                    ));
                }
                child::librdkafka_config(&config).map_err(|e| (ErrorCode::InvalidCommand, e))?;
                self.owned
                    .start(&self.hub, &self.config, Start { consumer, group, config, processing_ms, commit })
                    .await
            }
            Command::Crash { consumer } => self.owned.crash(&self.hub, &consumer),
            command => self.owned.request(command).await,
        }
    }

    async fn create_topic(&self, topic: &str, partitions: i32) -> Result<(), Refusal> {
        // -1: the cluster's default replication factor (KIP-464).
        let new = NewTopic::new(topic, partitions, TopicReplication::Fixed(-1));
        let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
        let results = self
            .admin
            .create_topics([&new], &options)
            .await
            .map_err(|e| (ErrorCode::BrokerUnavailable, format!("cannot create topic `{topic}`: {e}")))?;
        for result in results {
            if let Err((name, code)) = result {
                return Err((ErrorCode::Kafka, format!("cannot create topic `{name}`: {code}")));
            }
        }
        Ok(())
    }

    async fn produce(
        &self,
        topic: &str,
        partition: Option<i32>,
        key: Option<&str>,
        value: Option<&str>,
        count: u32,
    ) -> Result<(), Refusal> {
        let mut deliveries = Vec::new();
        for n in 0..count {
            let text = value.map_or_else(|| format!("record-{n}"), str::to_string);
            let mut record: FutureRecord<'_, str, str> = FutureRecord::to(topic).payload(&text);
            if let Some(key) = key {
                record = record.key(key);
            }
            if let Some(partition) = partition {
                record = record.partition(partition);
            }
            match self.producer.send_result(record) {
                Ok(delivery) => deliveries.push(delivery),
                Err((e, _)) => return Err((ErrorCode::Kafka, format!("cannot produce to `{topic}`: {e}"))),
            }
            if deliveries.len() >= 10_000 {
                wait_for(std::mem::take(&mut deliveries), topic).await?;
            }
        }
        wait_for(deliveries, topic).await
    }
}

async fn wait_for(deliveries: Vec<rdkafka::producer::DeliveryFuture>, topic: &str) -> Result<(), Refusal> {
    for delivery in deliveries {
        match delivery.await {
            Ok(Ok(_)) => {}
            Ok(Err((e, _))) => return Err((ErrorCode::Kafka, format!("cannot produce to `{topic}`: {e}"))),
            Err(_) => return Err((ErrorCode::Kafka, format!("producing to `{topic}` was cancelled"))),
        }
    }
    Ok(())
}

pub fn app(gateway: Arc<Gateway>) -> Router {
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/ws", get(ws::upgrade))
        .with_state(Arc::clone(&gateway));
    match &gateway.config.static_dir {
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

/// Serves until `shutdown` resolves, then closes sockets and gateway-owned
/// consumers (each leaves its group) and lets open requests finish.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let gateway = Arc::new(Gateway::new(config, stopped).map_err(std::io::Error::other)?);
    let observer =
        observe::spawn(&gateway.config, Arc::clone(&gateway.hub)).map_err(std::io::Error::other)?;
    let tail = tail::spawn(&gateway.config, Arc::clone(&gateway.hub)).map_err(std::io::Error::other)?;
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(
            %addr,
            bootstrap_servers = %gateway.config.bootstrap_servers,
            read_only = !gateway.config.writes_allowed(),
            static_dir = ?gateway.config.static_dir,
            "gateway listening"
        );
    }
    let served = axum::serve(listener, app(Arc::clone(&gateway)))
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop.send(true);
        })
        .await;
    gateway.hub.shut_down();
    gateway.owned.close_all(Duration::from_secs(10)).await;
    // The loops stop at their next turn; one may be inside a blocking
    // librdkafka call with a timeout of seconds, which shutdown need not wait
    // for. Joining them on a blocking task would not help: the runtime waits
    // for its blocking tasks when it shuts down.
    drop((observer, tail));
    served
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
