//! The test harness: a real Kafka-protocol broker (nisshi) on a loopback
//! port, the gateway on another, and a WebSocket client speaking the
//! browser's protocol.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use offsetlab_gateway::Config;
use offsetlab_protocol::{ClusterObservation, Command as Cmd, ErrorCode, Event, EventKind, Frame, Request};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The broker program: `OFFSETLAB_NISSHI`, or where `cargo xtask broker`
/// installs it (~/.cargo/bin).
pub fn nisshi() -> PathBuf {
    if let Some(path) = std::env::var_os("OFFSETLAB_NISSHI") {
        return PathBuf::from(path);
    }
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
    let cargo_bin = home.join(".cargo/bin/nisshi");
    assert!(
        cargo_bin.exists(),
        "no nisshi broker found: run `cargo xtask broker` (or set OFFSETLAB_NISSHI) to install it"
    );
    cargo_bin
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits until something accepts connections on a loopback port.
pub fn wait_listening(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not listen on {port} within 30 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A broker on loopback, in memory; killed when dropped.
pub struct Broker {
    pub port: u16,
    process: Option<Child>,
    dir: PathBuf,
}

impl Broker {
    pub fn start() -> Broker {
        Broker::start_on(free_port())
    }

    pub fn start_on(port: u16) -> Broker {
        let dir = std::env::temp_dir().join(format!("offsetlab-nisshi-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("tcp://127.0.0.1:{port}");
        let process = Command::new(nisshi())
            .current_dir(&dir)
            .args(["broker", "--listener-url", &url, "--advertised-listener-url", &url])
            .args([
                "--storage-engine",
                "memory://ci/",
                "--cluster-id",
                "ci",
                "--group-initial-rebalance-delay",
                "0s",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nisshi starts");
        let broker = Broker { port, process: Some(process), dir };
        wait_listening(port, "nisshi");
        broker
    }

    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A gateway serving on a loopback port inside the test's runtime.
pub struct Gateway {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

pub fn config(bootstrap: &str) -> Config {
    let mut config = Config::new(bootstrap);
    config.consumer_program = Some(PathBuf::from(env!("CARGO_BIN_EXE_offsetlab-gateway")));
    config.refresh_ms = 200;
    config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
    config
}

impl Gateway {
    pub async fn start(config: Config) -> Gateway {
        let listener = tokio::net::TcpListener::bind(config.listen).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(offsetlab_gateway::run(listener, config, async {
            let _ = stopped.await;
        }));
        Gateway { addr, stop: Some(stop), server: Some(server) }
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
    }

    pub async fn connect(&self) -> Browser {
        Browser::connect(self.addr, None).await
    }
}

/// The browser's side of the socket.
pub struct Browser {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u32,
    /// Every event received, in order.
    pub events: Vec<Event>,
    /// The latest full observation with deltas applied.
    pub cluster: ClusterObservation,
    /// Committed offsets as the app shows them, by (group, topic,
    /// partition): whichever of a successful commit event and an observed
    /// offset came last, as `src/view.rs` applies them.
    pub shown_committed: BTreeMap<(String, String, i32), i64>,
    pub broker_reachable: Option<bool>,
    pub broker_message: Option<String>,
    pub errors: Vec<(Option<u32>, ErrorCode, String)>,
}

impl Browser {
    pub async fn connect(addr: SocketAddr, origin: Option<&str>) -> Browser {
        Browser::try_connect(addr, origin).await.expect("the socket opens")
    }

    pub async fn try_connect(
        addr: SocketAddr,
        origin: Option<&str>,
    ) -> Result<Browser, tokio_tungstenite::tungstenite::Error> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut request = format!("ws://{addr}/ws").into_client_request().unwrap();
        if let Some(origin) = origin {
            request.headers_mut().insert("Origin", origin.parse().unwrap());
        }
        let (socket, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Browser {
            socket,
            next_id: 1,
            events: Vec::new(),
            cluster: ClusterObservation::default(),
            shown_committed: BTreeMap::new(),
            broker_reachable: None,
            broker_message: None,
            errors: Vec::new(),
        })
    }

    pub async fn send_text(&mut self, text: impl Into<String>) {
        self.socket.send(Message::text(text.into())).await.unwrap();
    }

    /// Sends a command and waits for its ack or error.
    pub async fn request(&mut self, command: Cmd) -> Result<(), (ErrorCode, String)> {
        let id = self.next_id;
        self.next_id += 1;
        let text = serde_json::to_string(&Request { id: Some(id), command }).unwrap();
        self.send_text(text).await;
        self.answer(id).await
    }

    pub async fn answer(&mut self, id: u32) -> Result<(), (ErrorCode, String)> {
        let deadline = Instant::now() + Duration::from_secs(40);
        loop {
            match self.next_frame(deadline).await {
                Some(Frame::Ack { id: got }) if got == id => return Ok(()),
                Some(Frame::Error { id: Some(got), code, message }) if got == id => {
                    return Err((code, message));
                }
                Some(_) => {}
                None => panic!("no answer to request {id}"),
            }
        }
    }

    pub async fn hello(&mut self, token: Option<&str>) -> Frame {
        let text = serde_json::to_string(&Request {
            id: None,
            command: Cmd::Hello { token: token.map(str::to_string) },
        })
        .unwrap();
        self.send_text(text).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.next_frame(deadline).await {
                Some(frame @ (Frame::Hello { .. } | Frame::Error { .. })) => return frame,
                Some(_) => {}
                None => panic!("no answer to hello"),
            }
        }
    }

    /// The next frame, folded into what this browser knows; `None` when the
    /// deadline passes or the socket closes.
    pub async fn next_frame(&mut self, deadline: Instant) -> Option<Frame> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = tokio::time::timeout(left, self.socket.next()).await.ok()??;
            let text = match message {
                Ok(Message::Text(text)) => text,
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => continue,
            };
            let frame: Frame = serde_json::from_str(&text).expect("the gateway sends valid frames");
            self.fold(&frame);
            return Some(frame);
        }
    }

    fn fold(&mut self, frame: &Frame) {
        if let Frame::Cluster(observation) = frame {
            for group in &observation.groups {
                for o in &group.offsets {
                    self.shown_committed
                        .insert((group.group.clone(), o.topic.clone(), o.partition), o.committed_offset);
                }
            }
        }
        match frame {
            Frame::Events { events } => {
                for event in events {
                    if let EventKind::CommitCompleted { group, offsets, error: None, .. } = &event.kind {
                        for o in offsets {
                            self.shown_committed
                                .insert((group.clone(), o.topic.clone(), o.partition), o.offset);
                        }
                    }
                }
                self.events.extend(events.iter().cloned());
            }
            Frame::Broker { reachable, message, .. } => {
                self.broker_reachable = Some(*reachable);
                self.broker_message = message.clone();
            }
            Frame::Error { id, code, message } => self.errors.push((*id, *code, message.clone())),
            Frame::Cluster(observation) if observation.full => self.cluster = observation.clone(),
            Frame::Cluster(delta) => {
                for topic in &delta.topics {
                    match self.cluster.topics.iter_mut().find(|t| t.topic == topic.topic) {
                        Some(known) => {
                            known.partition_count = topic.partition_count;
                            for p in &topic.partitions {
                                match known.partitions.iter_mut().find(|k| k.partition == p.partition) {
                                    Some(k) => *k = p.clone(),
                                    None => known.partitions.push(p.clone()),
                                }
                            }
                        }
                        None => self.cluster.topics.push(topic.clone()),
                    }
                }
                self.cluster.topics.retain(|t| !delta.removed_topics.contains(&t.topic));
                for group in &delta.groups {
                    match self.cluster.groups.iter_mut().find(|g| g.group == group.group) {
                        Some(known) => *known = group.clone(),
                        None => self.cluster.groups.push(group.clone()),
                    }
                }
                self.cluster.groups.retain(|g| !delta.removed_groups.contains(&g.group));
            }
            _ => {}
        }
    }

    /// Reads frames until `done` holds of this browser, or panics after `within`.
    pub async fn wait_for(&mut self, within: Duration, what: &str, done: impl Fn(&Browser) -> bool) {
        let deadline = Instant::now() + within;
        while !done(self) {
            if self.next_frame(deadline).await.is_none() && !done(self) {
                panic!(
                    "waited {within:?} for {what}; broker {:?} {:?}; errors {:?}; cluster {:?}; last events: {:#?}",
                    self.broker_reachable,
                    self.broker_message,
                    self.errors,
                    self.cluster,
                    self.events.iter().rev().take(5).collect::<Vec<_>>()
                );
            }
        }
    }

    /// Reads frames for `duration`, whatever comes.
    pub async fn drain(&mut self, duration: Duration) {
        let deadline = Instant::now() + duration;
        while self.next_frame(deadline).await.is_some() {}
    }

    pub fn high_watermark(&self, topic: &str, partition: i32) -> Option<i64> {
        let t = self.cluster.topics.iter().find(|t| t.topic == topic)?;
        Some(t.partitions.iter().find(|p| p.partition == partition)?.high_watermark)
    }

    /// The latest whole assignment each consumer reported.
    pub fn assignment(&self, consumer: &str) -> Vec<(String, i32)> {
        let mut current = Vec::new();
        for event in &self.events {
            match &event.kind {
                EventKind::PartitionsAssigned { consumer: c, assignment, .. } if c == consumer => {
                    current = assignment.iter().map(|tp| (tp.topic.clone(), tp.partition)).collect();
                }
                EventKind::PartitionsRevoked { consumer: c, partitions, .. }
                | EventKind::PartitionsLost { consumer: c, partitions, .. }
                    if c == consumer =>
                {
                    current
                        .retain(|(t, p)| !partitions.iter().any(|tp| &tp.topic == t && tp.partition == *p));
                }
                _ => {}
            }
        }
        current.sort();
        current
    }

    /// Records of watched topics this browser has seen.
    pub fn records_seen(&self) -> usize {
        self.events
            .iter()
            .map(|e| match &e.kind {
                EventKind::RecordsProduced { records, .. } => records.len(),
                _ => 0,
            })
            .sum()
    }

    pub fn processed(&self, consumer: &str) -> u32 {
        self.events
            .iter()
            .map(|e| match &e.kind {
                EventKind::RecordsProcessed { consumer: c, count, .. } if c == consumer => *count,
                _ => 0,
            })
            .sum()
    }
}

/// Committed offsets of `group` as an independent client reads them:
/// Python's confluent-kafka AdminClient (`list_consumer_group_offsets`),
/// from the virtual environment `cargo xtask` prepares.
pub fn committed_by_python(bootstrap: &str, group: &str) -> Vec<(String, i32, i64)> {
    let python = std::env::var_os("OFFSETLAB_PYTHON").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/offsetlab/venv/bin/python")
    });
    assert!(
        python.exists(),
        "no Python with confluent-kafka at {}: run `cargo xtask broker`",
        python.display()
    );
    let script = r#"
import sys
from confluent_kafka import ConsumerGroupTopicPartitions
from confluent_kafka.admin import AdminClient
admin = AdminClient({"bootstrap.servers": sys.argv[1]})
future = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(sys.argv[2])])
for group, f in future.items():
    for tp in f.result(timeout=10).topic_partitions:
        if tp.offset >= 0:
            print(f"{tp.topic} {tp.partition} {tp.offset}")
"#;
    let output = Command::new(python).args(["-c", script, bootstrap, group]).output().unwrap();
    assert!(output.status.success(), "python failed: {}", String::from_utf8_lossy(&output.stderr));
    let mut offsets: Vec<(String, i32, i64)> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let parts: Vec<&str> = line.split_whitespace().collect();
            (parts[0].to_string(), parts[1].parse().unwrap(), parts[2].parse().unwrap())
        })
        .collect();
    offsets.sort();
    offsets
}
