//! The relay benchmark: records per second from a real broker to a browser
//! socket through the gateway, next to kcat consuming the same topic in the
//! same run; then the gateway's memory with 200 idle and 20 busy sockets.
//!
//! Run with `cargo xtask bench` (it installs nisshi, kcat and the librdkafka
//! kcat needs, and passes them in OFFSETLAB_NISSHI, KCAT, KCAT_LIBRARY_PATH).
//! A plain `harness = false` bench: one long run, not criterion's samples.

use std::process::Command;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use offsetlab_protocol::{Command as Cmd, Request};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use tokio_tungstenite::tungstenite::Message;

#[path = "../tests/support/mod.rs"]
mod support;
use support::{free_port, wait_listening};

const RECORDS: usize = 500_000;
const PARTITIONS: i32 = 8;

fn rss_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// A process that dies with the benchmark, even when it panics.
struct Process(std::process::Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The release gateway as its own process, as people run it.
fn start_gateway(bootstrap: &str) -> (Process, u16) {
    let port = free_port();
    let gateway = Command::new(env!("CARGO_BIN_EXE_offsetlab-gateway"))
        .args(["--bootstrap-servers", bootstrap, "--listen", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "warn")
        .spawn()
        .unwrap();
    let gateway = Process(gateway);
    wait_listening(port, "the gateway");
    (gateway, port)
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(port: u16) -> Socket {
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://127.0.0.1:{port}/ws")).await.unwrap();
    let hello = serde_json::to_string(&Request { id: None, command: Cmd::Hello { token: None } }).unwrap();
    socket.send(Message::text(hello)).await.unwrap();
    socket
}

async fn watch(socket: &mut Socket, window: u32) {
    let watch = Request { id: Some(1), command: Cmd::Watch { topic: "relay".into(), window } };
    socket.send(Message::text(serde_json::to_string(&watch).unwrap())).await.unwrap();
}

/// Reads frames until `records` records arrived; returns when the last did.
async fn receive(socket: &mut Socket, records: usize) -> Instant {
    let mut seen = 0;
    while seen < records {
        let next = tokio::time::timeout(Duration::from_secs(30), socket.next()).await;
        let Ok(Some(Ok(Message::Text(text)))) = next else { panic!("no more records after {seen}") };
        // Counted, not parsed: the socket is the end of the relay, and this
        // client shares the machine's two cores with the gateway. Every
        // relayed record has exactly one "value" field.
        if text.starts_with(r#"{"frame":"events""#) {
            seen += text.matches(r#""value":"#).count();
        }
    }
    Instant::now()
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this too and
    // must not take a minute.
    if std::env::args().any(|a| a == "--test" || a == "--list") || !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let kcat = std::env::var("KCAT").expect("KCAT: run this through `cargo xtask bench`");
    let kcat_lib = std::env::var("KCAT_LIBRARY_PATH").unwrap_or_default();

    // The tests' broker: nisshi from OFFSETLAB_NISSHI, in memory, killed when dropped.
    let broker = support::Broker::start();
    let bootstrap = broker.bootstrap();

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let admin: rdkafka::admin::AdminClient<_> =
        rdkafka::ClientConfig::new().set("bootstrap.servers", &bootstrap).create().unwrap();
    let topic =
        rdkafka::admin::NewTopic::new("relay", PARTITIONS, rdkafka::admin::TopicReplication::Fixed(1));
    runtime.block_on(admin.create_topics([&topic], &rdkafka::admin::AdminOptions::new())).unwrap();
    let producer: BaseProducer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", &bootstrap)
        .set("linger.ms", "20")
        .set("queue.buffering.max.messages", "1000000")
        .create()
        .unwrap();
    let value = "v".repeat(100);
    let started = Instant::now();
    for n in 0..RECORDS {
        let key = format!("key-{}", n % 1000);
        while let Err((e, _)) = producer.send(BaseRecord::to("relay").key(&key).payload(&value)) {
            assert!(
                matches!(e.rdkafka_error_code(), Some(rdkafka::types::RDKafkaErrorCode::QueueFull)),
                "{e}"
            );
            producer.poll(Duration::from_millis(10));
        }
    }
    producer.flush(Duration::from_secs(60)).unwrap();
    println!("produced {RECORDS} records of ~{} B in {:.2?}", value.len() + 7, started.elapsed());

    // kcat: the same topic from the beginning to the end.
    let started = Instant::now();
    let out = Command::new(&kcat)
        .env("LD_LIBRARY_PATH", &kcat_lib)
        .args(["-C", "-b", &bootstrap, "-t", "relay", "-o", "beginning", "-e", "-q", "-f", "%o\n"])
        .output()
        .unwrap();
    let kcat_time = started.elapsed();
    let kcat_records = String::from_utf8_lossy(&out.stdout).lines().count();
    assert_eq!(kcat_records, RECORDS, "kcat read {kcat_records}: {}", String::from_utf8_lossy(&out.stderr));
    let kcat_rate = RECORDS as f64 / kcat_time.as_secs_f64();
    println!("kcat:    {RECORDS} records in {kcat_time:.2?} = {kcat_rate:.0} records/s");

    // The gateway, as its own process, relaying to one browser socket.
    let (gateway, port) = start_gateway(&bootstrap);
    // Keys spread records unevenly; the largest window covers every partition whole.
    let per_partition = offsetlab_gateway::hub::MAX_WATCH_WINDOW;
    let (relay_time, relay_rate) = runtime.block_on(async {
        let mut socket = connect(port).await;
        let started = Instant::now();
        watch(&mut socket, per_partition).await;
        let done = receive(&mut socket, RECORDS).await;
        let time = done - started;
        (time, RECORDS as f64 / time.as_secs_f64())
    });
    println!(
        "gateway: {RECORDS} records in {relay_time:.2?} = {relay_rate:.0} records/s ({:.0}% of kcat; goal 80%)",
        100.0 * relay_rate / kcat_rate
    );

    drop(gateway);

    // Memory: a fresh gateway with 200 idle sockets and 20 busy ones (each
    // watching the topic with the app's window while records keep coming),
    // measured as the gateway's resident set.
    let (gateway, port) = start_gateway(&bootstrap);
    std::thread::sleep(Duration::from_secs(1));
    let (idle_before, _) = rss_kb(gateway.0.id());
    let (rss, peak) = runtime.block_on(async {
        let mut idle = Vec::new();
        for _ in 0..200 {
            idle.push(connect(port).await);
        }
        let mut busy = Vec::new();
        for _ in 0..20 {
            let mut socket = connect(port).await;
            watch(&mut socket, 200).await;
            busy.push(socket);
        }
        let readers: Vec<_> = busy
            .into_iter()
            .map(|mut socket| tokio::spawn(async move { while socket.next().await.is_some() {} }))
            .collect();
        let value = value.clone();
        let producing = std::thread::spawn(move || {
            for n in 0..100_000 {
                let key = format!("key-{}", n % 1000);
                while producer.send(BaseRecord::to("relay").key(&key).payload(&value)).is_err() {
                    producer.poll(Duration::from_millis(10));
                }
                if n % 1000 == 0 {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
            producer.flush(Duration::from_secs(30)).unwrap();
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        let measured = rss_kb(gateway.0.id());
        let _ = tokio::task::spawn_blocking(move || producing.join()).await;
        for reader in readers {
            reader.abort();
        }
        drop(idle);
        measured
    });
    println!(
        "memory:  gateway RSS {:.1} MB with 200 idle + 20 busy sockets (peak {:.1} MB; {:.1} MB before them; goal < 64 MB)",
        rss as f64 / 1024.0,
        peak as f64 / 1024.0,
        idle_before as f64 / 1024.0
    );
    drop(gateway);
    drop(broker);
}
