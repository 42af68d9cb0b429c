//! Command-line flags, each with an environment fallback.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

/// A value that must never reach a browser or a log: `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"<hidden>\"")
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

/// A librdkafka property passed through as is (`security.protocol`,
/// `sasl.*`, `ssl.*`, ...). The value is treated as a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaOption {
    pub key: String,
    pub value: Secret,
}

impl FromStr for KafkaOption {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (key, value) = s
            .split_once('=')
            .ok_or_else(|| format!("expected key=value, got `{}`", s.split('=').next().unwrap_or("")))?;
        let key = key.trim();
        if key.is_empty() {
            return Err("empty property name before `=`".into());
        }
        Ok(KafkaOption { key: key.to_string(), value: Secret(value.to_string()) })
    }
}

#[derive(Clone, Debug, clap::Parser)]
#[command(name = "offsetlab-gateway", version, about)]
pub struct Config {
    /// Kafka's bootstrap servers, `host:port[,host:port...]`.
    #[arg(long, env = "OFFSETLAB_BOOTSTRAP_SERVERS", default_value = "127.0.0.1:9092")]
    pub bootstrap_servers: String,
    /// Address to listen on. Loopback by default: exposing the gateway is
    /// a choice to make on purpose.
    #[arg(long, env = "OFFSETLAB_LISTEN", default_value = "127.0.0.1:8081")]
    pub listen: SocketAddr,
    /// The built app (trunk's dist/), served at `/` so page and socket share
    /// one origin.
    #[arg(long, env = "OFFSETLAB_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// Origins (`http://host:port`) whose pages may open the socket, besides
    /// the gateway's own. Repeat the flag or separate with commas.
    #[arg(long, env = "OFFSETLAB_ALLOW_ORIGIN", value_delimiter = ',')]
    pub allow_origin: Vec<String>,
    /// Observe only (the default): no produce, no gateway-owned consumers.
    #[arg(long, env = "OFFSETLAB_READ_ONLY", conflicts_with = "allow_write")]
    pub read_only: bool,
    /// Allow producing and gateway-owned consumers (which join groups and commit).
    #[arg(long, env = "OFFSETLAB_ALLOW_WRITE")]
    pub allow_write: bool,
    /// Gateway-owned consumer groups must start with this, so a workshop
    /// cannot disturb other groups.
    #[arg(long, env = "OFFSETLAB_GROUP_PREFIX", default_value = "offsetlab.")]
    pub group_prefix: String,
    /// A shared secret browsers must send in their `hello`.
    #[arg(long, env = "OFFSETLAB_TOKEN", hide_env_values = true)]
    pub token: Option<Secret>,
    /// A librdkafka property for every client the gateway makes, e.g.
    /// `security.protocol=SASL_SSL`. Repeat the flag, or separate with `;`
    /// in the environment variable. Values are never logged.
    #[arg(
        short = 'X',
        long = "kafka-option",
        env = "OFFSETLAB_KAFKA_OPTIONS",
        value_delimiter = ';',
        hide_env_values = true
    )]
    pub kafka_options: Vec<KafkaOption>,
    /// The largest frame a browser may send.
    #[arg(long, env = "OFFSETLAB_MAX_FRAME_BYTES", default_value_t = 64 * 1024)]
    pub max_frame_bytes: u32,
    /// How often the cluster is observed unless a browser asks otherwise.
    #[arg(long, env = "OFFSETLAB_REFRESH_MS", default_value_t = 1000)]
    pub refresh_ms: u32,
    /// The program run for each gateway-owned consumer (with the argument
    /// `consumer`); this gateway's own by default.
    #[arg(long, env = "OFFSETLAB_CONSUMER_PROGRAM", hide = true)]
    pub consumer_program: Option<PathBuf>,
}

impl Config {
    pub fn writes_allowed(&self) -> bool {
        self.allow_write && !self.read_only
    }

    /// A config for tests and embedding: loopback, read-only, no static dir.
    pub fn new(bootstrap_servers: impl Into<String>) -> Config {
        Config {
            bootstrap_servers: bootstrap_servers.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8081)),
            static_dir: None,
            allow_origin: Vec::new(),
            read_only: false,
            allow_write: false,
            group_prefix: "offsetlab.".into(),
            token: None,
            kafka_options: Vec::new(),
            max_frame_bytes: 64 * 1024,
            refresh_ms: 1000,
            consumer_program: None,
        }
    }

    /// librdkafka properties every client starts from.
    pub fn client_config(&self) -> rdkafka::ClientConfig {
        let mut config = rdkafka::ClientConfig::new();
        config.set("bootstrap.servers", &self.bootstrap_servers);
        for option in &self.kafka_options {
            config.set(&option.key, &option.value.0);
        }
        // librdkafka logs through its own callback; keep its chatter out of
        // the gateway's log unless asked for.
        config.set_log_level(rdkafka::config::RDKafkaLogLevel::Warning);
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn secrets_are_not_in_debug_output() {
        let config = Config::try_parse_from([
            "gw",
            "--token",
            "tok3n",
            "-X",
            "sasl.password=hunter2",
            "--kafka-option",
            "security.protocol=SASL_SSL",
        ])
        .unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("tok3n") && !shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("sasl.password"), "keys stay visible: {shown}");
        assert_eq!(config.kafka_options[1].key, "security.protocol");
    }

    #[test]
    fn read_only_by_default() {
        let config = Config::try_parse_from(["gw"]).unwrap();
        assert!(!config.writes_allowed());
        assert_eq!(config.listen.to_string(), "127.0.0.1:8081");
        assert_eq!(config.group_prefix, "offsetlab.");
        assert!(Config::try_parse_from(["gw", "--allow-write"]).unwrap().writes_allowed());
        assert!(Config::try_parse_from(["gw", "--allow-write", "--read-only"]).is_err());
    }

    #[test]
    fn bad_kafka_option_is_a_clear_error() {
        let error = Config::try_parse_from(["gw", "-X", "no-equals-sign"]).unwrap_err().to_string();
        assert!(error.contains("expected key=value"), "{error}");
    }
}
