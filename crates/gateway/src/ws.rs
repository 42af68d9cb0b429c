//! One browser's WebSocket: `hello` first, then commands in and frames out.
//! Every refusal is an error frame on a connection that stays open; only a
//! wrong token closes it.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use offsetlab_protocol::{Command, ErrorCode, Frame, PROTOCOL_VERSION, Request};
use tokio::sync::broadcast::error::RecvError;

use crate::Gateway;
use crate::hub::{SharedFrame, encode};
use crate::owned::Refusal;
use std::collections::BTreeMap;

pub async fn upgrade(
    ws: WebSocketUpgrade,
    headers: HeaderMap,
    State(gateway): State<Arc<Gateway>>,
) -> Response {
    if let Err(reason) = origin_allowed(&headers, &gateway.config.allow_origin) {
        tracing::warn!("refused a socket: {reason}");
        return (StatusCode::FORBIDDEN, reason).into_response();
    }
    // Frames above `max_frame_bytes` are answered with an error and the
    // socket stays open; only absurd ones (16× the limit) end it.
    let hard_limit =
        usize::try_from(gateway.config.max_frame_bytes).unwrap_or(usize::MAX).saturating_mul(16).max(1 << 20);
    ws.max_message_size(hard_limit)
        .max_frame_size(hard_limit)
        .on_upgrade(move |socket| connection(socket, gateway))
}

/// Browsers always send `Origin`; a page from another site may open sockets
/// to loopback, so only the gateway's own origin and `--allow-origin` ones
/// pass. Clients that are not browsers send no `Origin` and are let in.
pub fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> Result<(), String> {
    let Some(origin) = headers.get(header::ORIGIN) else { return Ok(()) };
    let origin = origin.to_str().map_err(|_| "the Origin header is not text".to_string())?;
    let origin = origin.trim_end_matches('/');
    if allowed.iter().any(|a| a.trim_end_matches('/') == origin) {
        return Ok(());
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let own = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    if !host.is_empty() && own == Some(host) {
        return Ok(());
    }
    Err(format!("pages from {origin} may not use this gateway; start it with --allow-origin {origin}"))
}

/// Compares in time that depends only on the lengths, so a wrong token's
/// answer time says nothing about how much of it was right.
fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given.bytes().zip(expected.bytes()).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
}

/// Parses a browser's frame; the refusal carries the request id when there is one.
pub fn parse(text: &str, max_frame_bytes: u32) -> Result<Request, (Option<u32>, ErrorCode, String)> {
    if text.len() > usize::try_from(max_frame_bytes).unwrap_or(usize::MAX) {
        return Err((
            None,
            ErrorCode::FrameTooLarge,
            format!("a frame of {} bytes is over this gateway's limit of {max_frame_bytes}", text.len()),
        ));
    }
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| (None, ErrorCode::MalformedJson, format!("the frame is not JSON: {e}")))?;
    let id = value.get("id").and_then(serde_json::Value::as_u64).and_then(|id| u32::try_from(id).ok());
    let Some(command) = value.get("command").and_then(serde_json::Value::as_str).map(str::to_string) else {
        return Err((
            id,
            ErrorCode::MalformedJson,
            "a request is an object with a \"command\" string".into(),
        ));
    };
    serde_json::from_value::<Request>(value).map_err(|e| {
        if e.to_string().starts_with(&format!("unknown variant `{command}`")) {
            (id, ErrorCode::UnknownCommand, format!("unknown command `{command}`"))
        } else {
            (id, ErrorCode::InvalidCommand, format!("{command}: {e}"))
        }
    })
}

async fn send(socket: &mut WebSocket, text: &str) -> bool {
    socket.send(Message::Text(text.into())).await.is_ok()
}

async fn send_frame(socket: &mut WebSocket, frame: &Frame) -> bool {
    send(socket, &encode(frame)).await
}

/// Commands a browser may send: a burst of `BURST`, then `PER_SECOND`.
/// Every frame counts, good or bad, so a flood costs the gateway little.
pub struct RateLimit {
    allowance: f64,
    last: std::time::Instant,
}

impl RateLimit {
    const PER_SECOND: f64 = 20.0;
    const BURST: f64 = 100.0;

    pub fn new(now: std::time::Instant) -> RateLimit {
        RateLimit { allowance: Self::BURST, last: now }
    }

    pub fn admit(&mut self, now: std::time::Instant) -> bool {
        let earned = now.saturating_duration_since(self.last).as_secs_f64() * Self::PER_SECOND;
        self.allowance = (self.allowance + earned).min(Self::BURST);
        self.last = now;
        if self.allowance >= 1.0 {
            self.allowance -= 1.0;
            true
        } else {
            false
        }
    }
}

fn rate_limited(id: Option<u32>) -> Frame {
    Frame::Error {
        id,
        code: ErrorCode::RateLimited,
        message: format!(
            "more than {} commands a second from this page; this one was not carried out",
            RateLimit::PER_SECOND
        ),
    }
}

/// What one browser has asked to see.
#[derive(Default)]
pub struct Session {
    /// Watched topic → (the feed's frames of it are new after this seq, window).
    pub watched: BTreeMap<String, (u64, u32)>,
    /// Frames to send before the answer to the current command.
    pub catch_up: Vec<String>,
}

impl Session {
    /// Whether a frame from the feed is for this browser.
    fn wants(&self, frame: &SharedFrame) -> bool {
        match &frame.topic {
            None => true,
            Some(topic) => self.watched.get(topic).is_some_and(|(since, _)| frame.seq > *since),
        }
    }
}

/// What one message from a browser asks of the connection loop.
enum Incoming {
    Request(Request),
    /// Answer with this error frame; the socket stays open.
    Refuse(Frame),
    /// Pings and pongs: the WebSocket library answers them.
    Ignore,
    /// Closed, or broken.
    End,
}

/// Reads one message: the frame checks (text, rate, size, JSON, command)
/// every loop of a connection shares.
fn incoming(
    message: Option<Result<Message, axum::Error>>,
    limit: &mut RateLimit,
    max_frame_bytes: u32,
) -> Incoming {
    let text = match message {
        Some(Ok(Message::Text(text))) => text,
        Some(Ok(Message::Binary(_))) => {
            return Incoming::Refuse(Frame::Error {
                id: None,
                code: ErrorCode::MalformedJson,
                message: "frames are JSON text".into(),
            });
        }
        Some(Ok(Message::Ping(_) | Message::Pong(_))) => return Incoming::Ignore,
        Some(Ok(Message::Close(_)) | Err(_)) | None => return Incoming::End,
    };
    let parsed = parse(&text, max_frame_bytes);
    if !limit.admit(std::time::Instant::now()) {
        // Refused before any Kafka work; the id still goes back so the page
        // knows which request it was.
        let id = match &parsed {
            Ok(request) => request.id,
            Err((id, _, _)) => *id,
        };
        return Incoming::Refuse(rate_limited(id));
    }
    match parsed {
        Ok(request) => Incoming::Request(request),
        Err((id, code, message)) => Incoming::Refuse(Frame::Error { id, code, message }),
    }
}

async fn connection(mut socket: WebSocket, gateway: Arc<Gateway>) {
    let connection = gateway.hub.connection_id();
    let config = &gateway.config;
    let mut shutdown = gateway.shutdown.clone();
    let mut limit = RateLimit::new(std::time::Instant::now());
    // Nothing but `hello` is answered before the browser has said it.
    loop {
        let message = tokio::select! {
            message = socket.recv() => message,
            _ = shutdown.changed() => return,
        };
        match incoming(message, &mut limit, config.max_frame_bytes) {
            Incoming::End => return,
            Incoming::Ignore => {}
            Incoming::Refuse(refusal) => {
                if !send_frame(&mut socket, &refusal).await {
                    return;
                }
            }
            Incoming::Request(Request { id, command: Command::Hello { token } }) => {
                let expected = config.token.as_ref().map(|t| t.0.as_str());
                if let Some(expected) = expected
                    && !same_secret(token.as_deref().unwrap_or(""), expected)
                {
                    let refusal =
                        Frame::Error { id, code: ErrorCode::Unauthorized, message: "wrong token".into() };
                    send_frame(&mut socket, &refusal).await;
                    let _ = socket
                        .send(Message::Close(Some(CloseFrame { code: 1008, reason: "wrong token".into() })))
                        .await;
                    return;
                }
                let hello = Frame::Hello {
                    protocol_version: PROTOCOL_VERSION,
                    gateway_version: env!("CARGO_PKG_VERSION").into(),
                    read_only: !config.writes_allowed(),
                    group_prefix: config.group_prefix.clone(),
                    refresh_ms: gateway.hub.refresh_ms(),
                    max_frame_bytes: config.max_frame_bytes,
                };
                if !send_frame(&mut socket, &hello).await {
                    return;
                }
                break;
            }
            Incoming::Request(Request { id, .. }) => {
                let refusal =
                    Frame::Error { id, code: ErrorCode::Unauthorized, message: "send hello first".into() };
                if !send_frame(&mut socket, &refusal).await {
                    return;
                }
            }
        }
    }
    serve(&mut socket, &gateway, connection, &mut shutdown, limit).await;
    gateway.hub.disconnected(connection);
}

async fn serve(
    socket: &mut WebSocket,
    gateway: &Arc<Gateway>,
    connection: u64,
    shutdown: &mut tokio::sync::watch::Receiver<bool>,
    mut limit: RateLimit,
) {
    let (catch_up, mut feed) = gateway.hub.subscribe();
    for frame in catch_up {
        if !send(socket, &frame).await {
            return;
        }
    }
    let mut session = Session::default();
    loop {
        tokio::select! {
            message = socket.recv() => {
                let answer = match incoming(message, &mut limit, gateway.config.max_frame_bytes) {
                    Incoming::End => return,
                    Incoming::Ignore => continue,
                    Incoming::Refuse(refusal) => Some(refusal),
                    Incoming::Request(Request { id, command }) => {
                        match gateway.handle(connection, command, &mut session).await {
                            Ok(()) => id.map(|id| Frame::Ack { id }),
                            Err((code, message)) => Some(Frame::Error { id, code, message }),
                        }
                    }
                };
                // What the command did (already in the feed) goes out before
                // its answer, so an ack means the browser has seen the effects.
                // A new watch's catch-up first: the feed's frames of that
                // topic are newer.
                for frame in std::mem::take(&mut session.catch_up) {
                    if !send(socket, &frame).await {
                        return;
                    }
                }
                while let Ok(frame) = feed.try_recv() {
                    if session.wants(&frame) && !send(socket, &frame.text).await {
                        return;
                    }
                }
                if let Some(answer) = answer
                    && !send_frame(socket, &answer).await
                {
                    return;
                }
            }
            frame = feed.recv() => match frame {
                Ok(frame) => if session.wants(&frame) && !send(socket, &frame.text).await { return; },
                Err(RecvError::Lagged(missed)) => {
                    let notice = Frame::Error {
                        id: None,
                        code: ErrorCode::Lagged,
                        message: format!("this browser fell {missed} frames behind; starting again from a full observation"),
                    };
                    if !send_frame(socket, &notice).await { return; }
                    let (mut catch_up, resubscribed) = gateway.hub.subscribe();
                    feed = resubscribed;
                    for (topic, (since, window)) in &mut session.watched {
                        let (now, frames, _) = gateway.hub.watch(connection, topic, *window);
                        *since = now;
                        catch_up.extend(frames);
                    }
                    for frame in catch_up {
                        if !send(socket, &frame).await { return; }
                    }
                }
                Err(RecvError::Closed) => return,
            },
            _ = shutdown.changed() => {
                let _ = socket.send(Message::Close(Some(CloseFrame { code: 1001, reason: "gateway shutting down".into() }))).await;
                return;
            }
        }
    }
}

/// A name Kafka accepts for a topic, and that we accept for a consumer id.
pub fn valid_name(what: &str, name: &str, max: usize) -> Result<(), Refusal> {
    let ok = !name.is_empty()
        && name.len() <= max
        && name != "."
        && name != ".."
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err((
            ErrorCode::InvalidCommand,
            format!("`{name}` is not a valid {what}: 1 to {max} of a-z, A-Z, 0-9, `.`, `_`, `-`"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_names_each_kind_of_bad_frame() {
        assert_eq!(parse("{", 100).unwrap_err().1, ErrorCode::MalformedJson);
        assert_eq!(parse("[1]", 100).unwrap_err().1, ErrorCode::MalformedJson);
        let (id, code, message) = parse(r#"{"id":4,"command":"format_disk"}"#, 100).unwrap_err();
        assert_eq!((id, code), (Some(4), ErrorCode::UnknownCommand));
        assert!(message.contains("format_disk"));
        let (id, code, _) = parse(r#"{"id":5,"command":"crash"}"#, 100).unwrap_err();
        assert_eq!((id, code), (Some(5), ErrorCode::InvalidCommand));
        let (_, code, _) = parse(
            r#"{"command":"start_consumer","consumer":"c","processing_ms":0,"commit":"sometimes"}"#,
            1000,
        )
        .unwrap_err();
        assert_eq!(code, ErrorCode::InvalidCommand);
        assert_eq!(parse(&"x".repeat(101), 100).unwrap_err().1, ErrorCode::FrameTooLarge);
        assert!(parse(r#"{"id":1,"command":"close","consumer":"c"}"#, 100).is_ok());
    }

    #[test]
    fn origins() {
        let mut headers = HeaderMap::new();
        assert!(origin_allowed(&headers, &[]).is_ok(), "no Origin: not a browser");
        headers.insert(header::HOST, "127.0.0.1:8081".parse().unwrap());
        headers.insert(header::ORIGIN, "http://127.0.0.1:8081".parse().unwrap());
        assert!(origin_allowed(&headers, &[]).is_ok());
        headers.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        let error = origin_allowed(&headers, &[]).unwrap_err();
        assert!(error.contains("--allow-origin https://evil.example"), "{error}");
        assert!(origin_allowed(&headers, &["https://evil.example/".into()]).is_ok());
    }

    #[test]
    fn a_burst_then_a_steady_rate() {
        let start = std::time::Instant::now();
        let mut limit = RateLimit::new(start);
        assert_eq!((0..150).filter(|_| limit.admit(start)).count(), 100);
        // Half a second earns ten more.
        let later = start + std::time::Duration::from_millis(500);
        assert_eq!((0..50).filter(|_| limit.admit(later)).count(), 10);
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("let-me-in", "let-me-in"));
        assert!(!same_secret("let-me-im", "let-me-in"));
        assert!(!same_secret("let-me", "let-me-in"));
        assert!(!same_secret("", "x"));
    }

    #[test]
    fn names() {
        assert!(valid_name("topic", "orders.v2_x-1", 249).is_ok());
        assert!(valid_name("topic", "", 249).is_err());
        assert!(valid_name("topic", "..", 249).is_err());
        assert!(valid_name("topic", "a b", 249).is_err());
        assert!(valid_name("consumer id", &"c".repeat(65), 64).is_err());
    }
}
