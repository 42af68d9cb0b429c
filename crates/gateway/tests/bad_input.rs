//! Bad input from browsers: each is answered with a clear error frame (or,
//! for a wrong Origin, a refused upgrade), the connection and the gateway
//! keep working, and nothing is committed.

mod support;

use std::time::Duration;

use offsetlab_protocol::{Command, CommitStrategy, ErrorCode, Frame};
use support::{Broker, Browser, Gateway, committed_by_python, config};

/// After each bad frame, the same socket still answers a good one.
async fn still_works(browser: &mut Browser) {
    browser.request(Command::SetRefresh { interval_ms: 500 }).await.expect("the connection still works");
}

async fn expect_error(browser: &mut Browser, text: &str, code: ErrorCode) -> String {
    browser.send_text(text).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match browser.next_frame(deadline).await {
            Some(Frame::Error { code: got, message, .. }) if got != ErrorCode::Lagged => {
                assert_eq!(got, code, "for {text:.80}: {message}");
                assert!(!message.is_empty());
                return message;
            }
            Some(_) => {}
            None => panic!("no error frame for {text:.80}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_unknown_oversized_and_invalid_frames() {
    let broker = Broker::start();
    let mut config = config(&broker.bootstrap());
    config.allow_write = true;
    config.max_frame_bytes = 4096;
    let gateway = Gateway::start(config).await;
    let mut browser = gateway.connect().await;
    browser.hello(None).await;

    let message = expect_error(&mut browser, "{not json", ErrorCode::MalformedJson).await;
    assert!(message.contains("not JSON"), "{message}");
    still_works(&mut browser).await;
    expect_error(&mut browser, r#"{"id":1}"#, ErrorCode::MalformedJson).await;
    let message =
        expect_error(&mut browser, r#"{"id":2,"command":"drop_all_topics"}"#, ErrorCode::UnknownCommand)
            .await;
    assert!(message.contains("drop_all_topics"), "{message}");
    still_works(&mut browser).await;
    let big =
        format!(r#"{{"id":3,"command":"produce","topic":"t","count":1,"value":"{}"}}"#, "x".repeat(10_000));
    let message = expect_error(&mut browser, &big, ErrorCode::FrameTooLarge).await;
    assert!(message.contains("4096"), "{message}");
    still_works(&mut browser).await;
    expect_error(
        &mut browser,
        r#"{"id":4,"command":"produce","topic":"t","count":0}"#,
        ErrorCode::InvalidCommand,
    )
    .await;
    expect_error(
        &mut browser,
        r#"{"id":5,"command":"create_topic","topic":"a b","partitions":1}"#,
        ErrorCode::InvalidCommand,
    )
    .await;
    // A consumer that does not exist.
    let error = browser.request(Command::CommitSync { consumer: "ghost".into() }).await.unwrap_err();
    assert_eq!(error.0, ErrorCode::UnknownConsumer);
    let error = browser.request(Command::Crash { consumer: "ghost".into() }).await.unwrap_err();
    assert_eq!(error.0, ErrorCode::UnknownConsumer);
    // A group without the prefix, and options a browser may not set.
    let start = |group: &str, key: &str| Command::StartConsumer {
        consumer: "c".into(),
        group: Some(group.into()),
        config: [(key.to_string(), "x".to_string())].into(),
        processing_ms: 0,
        commit: CommitStrategy::SyncPerPoll,
    };
    let error = browser.request(start("payments", "client.id")).await.unwrap_err();
    assert_eq!(error.0, ErrorCode::GroupPrefix);
    assert!(error.1.contains("offsetlab."), "{}", error.1);
    let error = browser.request(start("offsetlab.x", "bootstrap.servers")).await.unwrap_err();
    assert_eq!(error.0, ErrorCode::InvalidCommand);
    still_works(&mut browser).await;
    // Nothing was committed by any of it.
    assert!(committed_by_python(&broker.bootstrap(), "payments").is_empty());
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_writes_but_observes() {
    let broker = Broker::start();
    let gateway = Gateway::start(config(&broker.bootstrap())).await;
    let mut browser = gateway.connect().await;
    assert!(matches!(browser.hello(None).await, Frame::Hello { read_only: true, .. }));
    for command in [
        Command::CreateTopic { topic: "t".into(), partitions: 1 },
        Command::Produce { topic: "t".into(), partition: None, key: None, value: None, count: 1 },
        Command::StartConsumer {
            consumer: "c".into(),
            group: Some("offsetlab.g".into()),
            config: Default::default(),
            processing_ms: 0,
            commit: CommitStrategy::Auto,
        },
        Command::CommitSync { consumer: "c".into() },
    ] {
        let error = browser.request(command).await.unwrap_err();
        assert_eq!(error.0, ErrorCode::ReadOnly);
        assert!(error.1.contains("--allow-write"), "{}", error.1);
    }
    // Observing still works.
    browser.request(Command::Watch { topic: "t".into(), window: 10 }).await.unwrap();
    browser.wait_for(Duration::from_secs(10), "an observation", |b| b.broker_reachable == Some(true)).await;
    assert!(committed_by_python(&broker.bootstrap(), "offsetlab.g").is_empty());
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_and_origin() {
    let broker = Broker::start();
    let mut config = config(&broker.bootstrap());
    config.token = Some(offsetlab_gateway::Secret("let-me-in".into()));
    config.allow_origin = vec!["http://docs.example".into()];
    let gateway = Gateway::start(config).await;

    // Commands before hello are refused, the socket stays open.
    let mut browser = gateway.connect().await;
    let error = browser.request(Command::SetRefresh { interval_ms: 500 }).await.unwrap_err();
    assert_eq!(error.0, ErrorCode::Unauthorized);
    // A wrong token is refused and the socket closed.
    match browser.hello(Some("guess")).await {
        Frame::Error { code: ErrorCode::Unauthorized, message, .. } => assert!(message.contains("token")),
        other => panic!("{other:?}"),
    }
    assert!(browser.next_frame(std::time::Instant::now() + Duration::from_secs(5)).await.is_none());
    // The right token works, on a new socket: the gateway is fine.
    let mut browser = gateway.connect().await;
    assert!(matches!(browser.hello(Some("let-me-in")).await, Frame::Hello { .. }));

    // A page from another site cannot open the socket; an allowed one can.
    let refused = Browser::try_connect(gateway.addr, Some("https://evil.example")).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403);
            let body = String::from_utf8_lossy(response.body().as_deref().unwrap_or_default()).to_string();
            assert!(body.contains("--allow-origin"), "{body}");
        }
        other => panic!("expected a 403, got {:?}", other.map(|_| "a socket")),
    }
    let mut allowed = Browser::connect(gateway.addr, Some("http://docs.example")).await;
    assert!(matches!(allowed.hello(Some("let-me-in")).await, Frame::Hello { .. }));
    let own = format!("http://{}", gateway.addr);
    let mut same_origin = Browser::connect(gateway.addr, Some(&own)).await;
    assert!(matches!(same_origin.hello(Some("let-me-in")).await, Frame::Hello { .. }));
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_commands_is_refused_past_the_rate_and_the_socket_recovers() {
    let broker = Broker::start();
    let mut config = config(&broker.bootstrap());
    config.allow_write = true;
    let gateway = Gateway::start(config).await;
    let mut browser = gateway.connect().await;
    browser.hello(None).await;
    // 300 produce commands at once: the first ones are carried out, the
    // rest refused without touching Kafka.
    for id in 1..=300u32 {
        browser.send_text(format!(r#"{{"id":{id},"command":"produce","topic":"flood","count":1}}"#)).await;
    }
    let mut acked = 0;
    let mut limited = 0;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while acked + limited < 300 {
        match browser.next_frame(deadline).await {
            Some(Frame::Ack { .. }) => acked += 1,
            Some(Frame::Error { code: ErrorCode::RateLimited, id: Some(_), .. }) => limited += 1,
            Some(Frame::Error { code, message, .. }) if code != ErrorCode::RateLimited => {
                // Producing to a topic that does not exist yet may be refused
                // by the broker; that is an answer too.
                assert_eq!(code, ErrorCode::Kafka, "{message}");
                acked += 1;
            }
            Some(_) => {}
            None => panic!("answers stopped after {acked} done and {limited} refused"),
        }
    }
    assert!(limited >= 150, "only {limited} of 300 refused");
    assert!(acked >= 100, "the burst was not carried out: {acked}");
    // A moment later the same socket works again.
    tokio::time::sleep(Duration::from_secs(1)).await;
    still_works(&mut browser).await;
    gateway.stop().await;
}
