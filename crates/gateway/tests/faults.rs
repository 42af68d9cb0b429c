//! Faults: a broker that is not there yet, a broker restarted under the
//! gateway, and a browser reconnecting to a restarted gateway.

mod support;

use std::time::Duration;

use offsetlab_protocol::{Command, Frame};
use support::{Broker, Gateway, config, free_port};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_down_at_start_then_restarted_mid_session() {
    let port = free_port();
    let gateway = Gateway::start(config(&format!("127.0.0.1:{port}"))).await;
    let mut browser = gateway.connect().await;
    assert!(matches!(browser.hello(None).await, Frame::Hello { .. }));
    // No broker: the gateway keeps running and says so.
    browser
        .wait_for(Duration::from_secs(20), "broker unreachable", |b| b.broker_reachable == Some(false))
        .await;
    assert!(browser.errors.is_empty());
    browser.request(Command::SetRefresh { interval_ms: 200 }).await.unwrap();

    let mut broker = Broker::start_on(port);
    browser.wait_for(Duration::from_secs(30), "broker reachable", |b| b.broker_reachable == Some(true)).await;

    // Restarted under the gateway: it notices, then recovers.
    broker.stop();
    browser
        .wait_for(Duration::from_secs(30), "broker down again", |b| b.broker_reachable == Some(false))
        .await;
    let _broker = Broker::start_on(port);
    browser.wait_for(Duration::from_secs(30), "broker back", |b| b.broker_reachable == Some(true)).await;
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_reconnects_to_a_restarted_gateway() {
    let broker = Broker::start();
    let port = free_port();
    let mut cfg = config(&broker.bootstrap());
    cfg.listen = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    cfg.allow_write = true;
    let gateway = Gateway::start(cfg.clone()).await;
    let mut browser = gateway.connect().await;
    browser.hello(None).await;
    browser.request(Command::CreateTopic { topic: "r".into(), partitions: 2 }).await.unwrap();
    gateway.stop().await;
    // The socket ends with the gateway (after any frames already on their way).
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while browser.next_frame(deadline).await.is_some() {}
    assert!(std::time::Instant::now() < deadline, "the socket stayed open after the gateway stopped");

    let gateway = Gateway::start(cfg).await;
    let mut browser = gateway.connect().await;
    assert!(matches!(browser.hello(None).await, Frame::Hello { .. }));
    browser
        .wait_for(Duration::from_secs(15), "the topic in the new gateway's first observation", |b| {
            b.cluster.topics.iter().any(|t| t.topic == "r" && t.partition_count == 2)
        })
        .await;
    gateway.stop().await;
}
