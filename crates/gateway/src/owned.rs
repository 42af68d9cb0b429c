//! The gateway's side of its consumers: one child process each (see
//! `child.rs`), spoken to in JSON lines.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use offsetlab_protocol::{Command, CommitStrategy, ErrorCode, Event, EventKind, Frame};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin};
use tokio::sync::{mpsc, oneshot};

use crate::child::{ChildMessage, ChildRequest, ChildSetup};
use crate::hub::Hub;

pub type Refusal = (ErrorCode, String);

/// How long a consumer has to answer a command (a sync commit to a slow
/// coordinator, a seek that waits for the partition's fetcher).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

struct Handle {
    instance: u64,
    stdin: Arc<tokio::sync::Mutex<ChildStdin>>,
    process: Child,
}

type Pending = Arc<Mutex<BTreeMap<u64, oneshot::Sender<Option<String>>>>>;

pub struct Owned {
    program: PathBuf,
    children: Arc<Mutex<BTreeMap<String, Handle>>>,
    pending: Pending,
    next: AtomicU64,
}

pub struct Start {
    pub consumer: String,
    pub group: Option<String>,
    pub config: BTreeMap<String, String>,
    pub processing_ms: u64,
    pub commit: CommitStrategy,
}

impl Owned {
    pub fn new(program: PathBuf) -> Owned {
        Owned { program, children: Arc::default(), pending: Arc::default(), next: AtomicU64::new(1) }
    }

    fn children(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Handle>> {
        self.children.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub async fn start(&self, hub: &Arc<Hub>, config: &crate::Config, start: Start) -> Result<(), Refusal> {
        if self.children().contains_key(&start.consumer) {
            return Err((
                ErrorCode::ConsumerExists,
                format!("consumer `{}` is already running", start.consumer),
            ));
        }
        let setup = ChildSetup {
            bootstrap_servers: config.bootstrap_servers.clone(),
            kafka_options: config.kafka_options.iter().map(|o| (o.key.clone(), o.value.0.clone())).collect(),
            consumer: start.consumer.clone(),
            group: start.group,
            config: start.config,
            processing_ms: start.processing_ms,
            commit: start.commit,
            epoch_unix_ms: hub.epoch_unix_ms,
        };
        let mut process = tokio::process::Command::new(&self.program)
            .arg("consumer")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| (ErrorCode::Kafka, format!("cannot start a consumer process: {e}")))?;
        let (Some(mut stdin), Some(stdout), Some(mut stderr)) =
            (process.stdin.take(), process.stdout.take(), process.stderr.take())
        else {
            unreachable!("all three pipes were requested");
        };
        let line = serde_json::to_string(&setup).expect("setup serialises") + "\n";
        stdin
            .write_all(line.as_bytes())
            .await
            .map_err(|e| (ErrorCode::Kafka, format!("cannot talk to the consumer process: {e}")))?;
        let instance = self.next.fetch_add(1, Ordering::Relaxed);
        let name = start.consumer.clone();
        self.children().insert(
            name.clone(),
            Handle { instance, stdin: Arc::new(tokio::sync::Mutex::new(stdin)), process },
        );

        // Lines are parsed as they come and published in batches: whatever
        // arrived while the last batch went out goes in the next one.
        let (messages, mut inbox) = mpsc::unbounded_channel::<ChildMessage>();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                match serde_json::from_str::<ChildMessage>(&line) {
                    Ok(message) => {
                        if messages.send(message).is_err() {
                            break;
                        }
                    }
                    Err(e) => tracing::warn!("consumer process wrote a bad line: {e}"),
                }
            }
        });
        let hub = Arc::clone(hub);
        let pending = Arc::clone(&self.pending);
        let children = Arc::clone(&self.children);
        tokio::spawn(async move {
            let mut errors = String::new();
            let read_errors = async {
                let _ = stderr.read_to_string(&mut errors).await;
            };
            let relay = async {
                while let Some(first) = inbox.recv().await {
                    let mut events: Vec<Event> = Vec::new();
                    let mut next = Some(first);
                    while let Some(message) = next.take() {
                        match message {
                            ChildMessage::Event { event } => events.push(event),
                            ChildMessage::Reply { seq, error } => {
                                // What the command did reaches browsers before its answer.
                                hub.publish(std::mem::take(&mut events));
                                let waiter = pending.lock().unwrap_or_else(|p| p.into_inner()).remove(&seq);
                                if let Some(waiter) = waiter {
                                    let _ = waiter.send(error);
                                }
                            }
                            ChildMessage::Error { message } => {
                                hub.publish(std::mem::take(&mut events));
                                hub.broadcast(&Frame::Error { id: None, code: ErrorCode::Kafka, message });
                            }
                        }
                        next = inbox.try_recv().ok();
                    }
                    hub.publish(events);
                }
            };
            tokio::join!(read_errors, relay);
            // The process has ended (its stdout closed). If it is still
            // registered, it ended by itself: close, or a failure.
            let handle = {
                let mut children = children.lock().unwrap_or_else(|p| p.into_inner());
                match children.get(&name) {
                    Some(handle) if handle.instance == instance => children.remove(&name),
                    _ => None,
                }
            };
            if let Some(mut handle) = handle {
                let status = handle.process.wait().await;
                if !status.as_ref().is_ok_and(std::process::ExitStatus::success) {
                    let detail = errors.lines().last().unwrap_or("").to_string();
                    hub.broadcast(&Frame::Error {
                        id: None,
                        code: ErrorCode::Kafka,
                        message: format!("consumer `{name}` stopped unexpectedly ({status:?}) {detail}"),
                    });
                }
            }
        });
        Ok(())
    }

    /// Sends a command to a consumer's process and waits for its answer.
    pub async fn request(&self, command: Command) -> Result<(), Refusal> {
        let consumer = command.consumer().unwrap_or_default().to_string();
        let stdin = match self.children().get(&consumer) {
            Some(handle) => Arc::clone(&handle.stdin),
            None => return Err(unknown(&consumer)),
        };
        let seq = self.next.fetch_add(1, Ordering::Relaxed);
        let (answer, answered) = oneshot::channel();
        self.pending.lock().unwrap_or_else(|p| p.into_inner()).insert(seq, answer);
        let line = serde_json::to_string(&ChildRequest { seq, command }).expect("requests serialise") + "\n";
        let written = stdin.lock().await.write_all(line.as_bytes()).await;
        let result = match written {
            Err(_) => Err(unknown(&consumer)),
            Ok(()) => match tokio::time::timeout(ANSWER_TIMEOUT, answered).await {
                Ok(Ok(None)) => Ok(()),
                Ok(Ok(Some(error))) => Err((ErrorCode::Kafka, error)),
                Ok(Err(_)) => {
                    Err((ErrorCode::Kafka, format!("consumer `{consumer}` ended before answering")))
                }
                Err(_) => Err((ErrorCode::Kafka, format!("consumer `{consumer}` did not answer in time"))),
            },
        };
        self.pending.lock().unwrap_or_else(|p| p.into_inner()).remove(&seq);
        result
    }

    /// Kills the consumer's process: no commit, no LeaveGroup.
    pub fn crash(&self, hub: &Hub, consumer: &str) -> Result<(), Refusal> {
        let mut handle = self.children().remove(consumer).ok_or_else(|| unknown(consumer))?;
        handle
            .process
            .start_kill()
            .map_err(|e| (ErrorCode::Kafka, format!("cannot kill `{consumer}`: {e}")))?;
        hub.publish(vec![Event {
            at_ms: hub.now_ms(),
            kind: EventKind::ConsumerCrashed { consumer: consumer.to_string() },
        }]);
        tokio::spawn(async move {
            let _ = handle.process.wait().await;
        });
        Ok(())
    }

    /// Closes every consumer (stdin closes: each leaves its group), giving
    /// them `grace` before they are killed.
    pub async fn close_all(&self, grace: Duration) {
        let handles: Vec<(String, Handle)> = std::mem::take(&mut *self.children()).into_iter().collect();
        // All stdins close first, so every consumer closes at once.
        let mut processes = Vec::new();
        for (name, handle) in handles {
            drop(handle.stdin);
            processes.push((name, handle.process));
        }
        let deadline = tokio::time::Instant::now() + grace;
        for (name, mut process) in processes {
            if tokio::time::timeout_at(deadline, process.wait()).await.is_err() {
                tracing::warn!(consumer = %name, "did not close in time; killed");
                let _ = process.kill().await;
            }
        }
    }
}

fn unknown(consumer: &str) -> Refusal {
    (ErrorCode::UnknownConsumer, format!("no consumer `{consumer}` is running on this gateway"))
}
